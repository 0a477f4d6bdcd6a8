"""The admin reads as French from the login on: labels, values, dates, statuses, menus."""

import json
import re

import pytest

from forms.enums import DeviceStatus, HandoverStatus, LotStatus, PrescriptionStatus
from forms.logistics.models.lot import Lot
from portal.roles import MEDIATION
from tests.factories import (
    CampaignPageFactory,
    DeviceFactory,
    FormPageFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
    handover_steps,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(nom="Espace Mont-de-Marsan", staff=[staff])


def test_the_login_reached_from_the_handover_form_is_french(client, campaign_index):
    campaign = CampaignPageFactory(parent=campaign_index)
    form = FormPageFactory(parent=campaign, slug="remise", kind="handover", steps=handover_steps())
    response = client.get(form.url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Mot de passe" in html and ">Password<" not in html
    assert "Password" not in re.sub(r'(type|name|autocomplete)="[^"]*"', "", html)


def test_a_site_accounts_home_leads_nowhere_forbidden(client, staff, site):
    PrescriptionFactory(site=site)
    client.force_login(staff)
    home = client.get("/admin/")
    html = home.content.decode()
    assert "autorisations" not in html
    assert 'action="/admin/pages/' not in html  # the page search is not offered
    links = set(re.findall(r'href="(/admin/[^"#]*)"', html))
    props = re.search(
        r'id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    if props:
        links |= set(re.findall(r"\"url\": \"(/admin/[^\"]*)\"", props.group(1)))
    links -= {"/admin/logout/"}
    assert len(links) > 3
    for url in sorted(links):
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        assert "autorisations" not in response.content.decode(), url


def test_values_read_as_french(client, coordination_user, site):
    campaign = coordinated_campaign(coordination_user)  # a coordinator sees their campaigns'
    device = DeviceFactory(campaign=campaign)
    client.force_login(coordination_user)
    html = client.get(f"/admin/forms/device/edit/{device.pk}/").content.decode()
    outputs = re.findall(r'class="w-field__textoutput"[^>]*>\s*(.*?)\s*</div>', html, re.S)
    assert outputs and "None" not in outputs and "–" in outputs

    sites = client.get("/admin/mediation-sites/results/").content.decode()
    assert "Oui" in sites and "True" not in sites and "False" not in sites

    sheet = HandoverSheetFactory(site=site, campaign=campaign)
    edit = client.get(f"/admin/forms/handoversheet/edit/{sheet.pk}/").content.decode()
    assert re.search(r'name="handover_date" value="02/11/2026"', edit)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (PrescriptionStatus.RECEIVED.label, "Reçue"),
        (PrescriptionStatus.EQUIPPED.label, "Équipée"),
        (DeviceStatus.RECEIVED.label, "Reçu"),
        (LotStatus.CANCELLED.label, "Annulé"),
        (LotStatus.DELIVERED.label, "Livré"),
        (HandoverStatus.CANCELLED.label, "Annulée"),
    ],
)
def test_statuses_agree_with_their_record(label, expected):
    assert str(label) == expected


def test_status_shown_in_the_lot_listing_agrees(client, coordination_user, site):
    campaign = coordinated_campaign(coordination_user)
    lot = Lot.objects.create(site=site, size=1, campaign=campaign)
    Lot.objects.filter(pk=lot.pk).update(status=LotStatus.CANCELLED)
    client.force_login(coordination_user)
    html = client.get("/admin/forms/lot/").content.decode()
    assert "Annulé<" in html.replace(" ", "").replace("\n", "") or ">Annulé" in html


def test_the_site_filter_offers_only_the_sites_one_may_see(client, staff, site, coordination_user):
    others = [MediationSiteFactory(nom=f"Autre lieu {n}") for n in range(3)]
    campaign = coordinated_campaign(coordination_user)
    campaign.sites.set(others)  # the coordinator's campaign's sites, not the staff's
    campaign.save()
    PrescriptionFactory(site=site, campaign=campaign)
    client.force_login(staff)
    html = client.get("/admin/forms/prescription/").content.decode()
    assert "Espace Mont-de-Marsan" in html
    assert not any(other.nom in html for other in others)
    client.force_login(coordination_user)
    html = client.get("/admin/forms/prescription/").content.decode()
    assert all(other.nom in html for other in others)


def test_one_menu_per_thing(client, coordination_user):
    client.force_login(coordination_user)
    html = client.get("/admin/").content.decode()
    props = re.search(
        r'id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    labels = re.findall(r'"label": "((?:[^"\\]|\\.)*)"', props.group(1))
    labels = [json.loads(f'"{label}"') for label in labels]
    assert len(labels) == len(set(labels))
    assert [label for label in labels if "lot" in label.lower()] == ["Lots"]


def test_wagtail_strings_its_catalogue_leaves_in_english(client, coordination_user, home):
    client.force_login(coordination_user)
    html = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert "Indifférent" in html
    assert not re.search(r">\s*Any\s*</label>", html)


def test_page_types_have_french_plurals(client, coordination_user, home):
    client.force_login(coordination_user)
    html = client.get("/admin/pages/usage/content/standardpage/").content.decode()
    assert "Page standards" not in html and "standards" not in html
