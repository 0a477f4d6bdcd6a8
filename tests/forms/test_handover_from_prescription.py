"""Site staff open the handover form from a prescription: it arrives filled with what
the prescription says (no reference typed again) and brings them back to it."""

import re

import pytest

from forms.kinds.handover.models import HandoverSheet
from portal.roles import MEDIATION
from tests.factories import (
    DeviceFactory,
    FormPageFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    handover_steps,
)
from tests.forms.conftest import Walk
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(nom="Espace Mont-de-Marsan", staff=[staff])


@pytest.fixture
def handover_form(campaign):
    return FormPageFactory(
        parent=campaign, slug="remise", kind="handover", steps=handover_steps(), notify_emails=""
    )


def step_data(walk, step, url=None):
    """What the browser would post from the step as it is shown (at ``url`` if given)."""
    html = walk.client.get(url or walk.url(step)).content.decode()
    fields = read_form(html).data()
    return {
        name.removeprefix(f"{step}-"): value
        for name, value in fields.items()
        if name.startswith(f"{step}-")
    }


def test_the_handover_link_opens_the_form_filled_and_returns_to_the_prescription(
    client, staff, site, campaign, handover_form, django_capture_on_commit_callbacks
):
    DeviceFactory(inventory_code="OS-00042", status="allocated", site=site)
    prescription = PrescriptionFactory(
        site=site,
        campaign=campaign,
        status="in_training",
        prescriber_kind="CCAS",
        situation="job_seeker",
    )
    client.force_login(staff)

    edit = client.get(prescription.admin_url()).content.decode()
    link = re.search(r'href="([^"]*remise/\?prescription=[^"]+)"', edit).group(1)
    assert link.endswith(f"?prescription={prescription.reference}")
    assert "Remplir la fiche de remise" in edit

    started = client.get(link.replace("&amp;", "&"))
    walk = Walk.resume(client, handover_form, started["Location"])
    first = step_data(walk, "etape-1", started["Location"])
    assert first["prescription"] == prescription.reference  # not typed again
    assert first["site"] == str(site.pk)
    assert first["device_code"] == "OS-00042"  # the only computer in the site's stock
    first.update(handover_date="2026-11-20", handover_kind="donation")
    assert walk.post("etape-1", first)["Location"] == walk.url("etape-2")

    second = step_data(walk, "etape-2")
    assert second["prescriber_kind"] == "CCAS"
    assert second["social_status"] == "without_employment"
    second.update(
        sex="female",
        age_class="25_39",
        diagnostic_tool="pix",
        training_sessions="4",
        training_hours="8",
        no_resale_accepted="on",
        ceremony_attended="yes",
    )
    posted = walk.post("etape-2", second)
    assert posted["Location"] == walk.url("verification")

    with django_capture_on_commit_callbacks(execute=True):
        done = walk.post("verification")
    sheet = HandoverSheet.objects.get()
    assert sheet.prescription == prescription and sheet.device_code == "OS-00042"
    # Back on the prescription's admin page, not the public campaign page.
    assert done["Location"] == prescription.admin_url()
    back = client.get(done["Location"]).content.decode()
    assert (
        f"Fiche de remise {sheet.reference} enregistrée pour la prescription "
        f"{prescription.reference}" in back
    )
    prescription.refresh_from_db()
    assert prescription.status == "equipped"
    # The prescription now links to its sheet instead of offering the form again.
    html = client.get(prescription.admin_url()).content.decode()
    assert sheet.admin_url() in html and "?prescription=" not in html


def test_a_reference_the_staff_may_not_see_opens_a_blank_form(
    client, staff, site, campaign, handover_form
):
    elsewhere = PrescriptionFactory(site=MediationSiteFactory(nom="Ailleurs"), campaign=campaign)
    client.force_login(staff)
    started = client.get(f"{handover_form.url}?prescription={elsewhere.reference}")
    walk = Walk.resume(client, handover_form, started["Location"])
    first = step_data(walk, "etape-1", started["Location"])
    assert not first.get("prescription")
