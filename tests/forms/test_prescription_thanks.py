"""The prescription's thank-you page: its follow link for the sender, and the next
step as the campaign runs it (a committee first, or the site straight away)."""

import pytest
from django.test import Client

from forms.kinds.prescription.models import Prescription
from tests.forms.conftest import Walk
from tests.forms.test_prescription_walk import (  # noqa: F401 (fixtures)
    answers,
    prescription_form,
    sites,
)

pytestmark = pytest.mark.django_db
STEPS = ("etape-1", "etape-2", "etape-3", "etape-4", "etape-5")


def send(client, page, sites):  # noqa: F811
    walk = Walk(client, page)
    walk.fill(steps=STEPS, answers=answers(sites))
    assert walk.post("verification")["Location"] == walk.thanks_url
    return walk, Prescription.objects.get()


def test_the_sender_sees_the_follow_link_and_that_the_site_will_call(
    client,
    prescription_form,  # noqa: F811
    sites,  # noqa: F811
):
    walk, prescription = send(client, prescription_form, sites)
    html = client.get(walk.thanks_url).content.decode()
    assert f"http://testserver{prescription.follow_url()}" in html
    assert "Suivez son avancement" in html
    assert "Médiathèque de Dax » a reçu votre prescription et contactera la personne" in html
    assert "comité" not in html

    # The same address opened by another session (a shared or leaked link): no follow link.
    other = Client().get(walk.thanks_url).content.decode()
    assert prescription.reference in other
    assert prescription.follow_url() not in other and "Suivez son avancement" not in other


def test_where_a_committee_decides_first_the_page_says_so(
    client,
    prescription_form,  # noqa: F811
    sites,  # noqa: F811
):
    campaign = prescription_form.get_parent().specific
    campaign.requires_committee = True
    campaign.save_revision().publish()
    walk, prescription = send(client, prescription_form, sites)
    html = client.get(walk.thanks_url).content.decode()
    assert prescription.follow_url() in html
    assert (
        f"Le comité d’attribution de la campagne « {campaign.title} » examinera d’abord "
        "votre prescription" in html
    )
    assert "ne contactera la personne que si le comité l’accepte" in html
    assert "a reçu votre prescription et contactera la personne" not in html
