"""Each demo programme run by its own coordinator alone, on the loaded demo, from its
campaign page to its report: a prescriber walks the campaign's prescription form
among the campaign's own sites; the coordinator finds the prescription in the admin
(and nobody else's); Poitiers' committee accepts it; the site (or the coordinator,
where the site has no account) accepts it and records the handover of a computer
of the site's stock with the campaign's handover form; the campaign's indicators,
their CSV export and `manage.py programme_report` count one more handover.

The demo is loaded once for the module, in a transaction rolled back at its end;
each test runs in a savepoint of it, so the five programmes do not see each
other's walks.
"""

import csv
import io
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from content.models import CampaignPage, MediationSite
from forms.engine.models.form_page import FormPage
from forms.enums import DeviceStatus
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from forms.logistics.models.device import Device
from forms.logistics.services.devices import build_lot
from forms.logistics.services.report import FIGURE_LABELS, SECTION_LABELS
from tests.forms.conftest import Walk

pytestmark = pytest.mark.django_db

# slug: (coordinator, the site the prescriber chooses, another campaign's site).
PROGRAMMES = {
    "mon-ordi-est-une-chance": ("coord-face17", "demo-17-01", "demo-40-01"),
    "ordinateurs-solidaires-poitiers": ("coord-poitiers", "demo-86-01", "demo-17-01"),
    "ordipin40": ("coord-landes", "demo-40-01", "demo-86-01"),
    "ordi-2-0-lorient": ("coord-lorient", "demo-56-01", "demo-49-01"),
    "filiere-anjou": ("coord-anjou", "demo-49-01", "demo-56-01"),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def login(client, username):
    client.logout()
    assert client.login(username=username, password=username)


def prescription_answers(campaign, site):
    criterion = PriorityCriterion.objects.filter(campaign=campaign).order_by("order").first()
    return {
        "etape-1": {
            "prescriber_kind": "CCAS",
            "prescriber_organisation": "CCAS",
            "prescriber_name": "Julie Lacoste",
            "prescriber_email": "julie@example.org",
        },
        "etape-2": {
            "beneficiary_first_name": "Amina",
            "beneficiary_last_name": "Diallo",
            "beneficiary_phone": "06 12 34 56 78",
            "commune": site.commune,
            "postcode": site.code_postal,
            "household_adults": "1",
            "household_children": "2",
        },
        "etape-3": {
            "priority_criterion": str(criterion.pk),
            "situation": "rsa",
            "needs": ["computer", "training"],
            "aptic_cheques": "0",
        },
        "etape-4": {"site": str(site.pk)},
        "etape-5": {"beneficiary_agreement": "on", "prescriber_commitment": "on"},
    }


def handover_answers(site, device, prescription):
    return {
        "etape-1": {
            "site": str(site.pk),
            "handover_date": timezone.localdate().isoformat(),
            "device_code": device.inventory_code,
            "handover_kind": "donation",
            "prescription": prescription.reference,
        },
        "etape-2": {
            "sex": "female",
            "age_class": "25_39",
            "social_status": "without_employment",
            "prescriber_kind": "CCAS",
        },
        "etape-3": {"diagnostic_tool": "pix", "training_sessions": "3", "training_hours": "6"},
        "etape-4": {"no_resale_accepted": "on", "ceremony_attended": "yes"},
    }


def device_in_stock(campaign, site, coordinator):
    """A computer of the campaign in the site's stock: delivered in a lot of one by the
    coordinator when the demo left none there."""
    stock = Device.objects.filter(campaign=campaign, site=site, status=DeviceStatus.ALLOCATED)
    if not stock.exists():
        lot = build_lot(site, size=1, by=coordinator, campaign=campaign)
        lot.transition("delivered", by=coordinator)
    return stock.order_by("pk").first()


def handed_over_figures(client, campaign):
    """What the coordinator reads: the indicators page's and its CSV's handovers."""
    page = client.get(f"/admin/programme/{campaign.pk}/indicateurs/")
    assert page.status_code == 200
    report = page.context["report"]
    export = client.get(f"/admin/programme/{campaign.pk}/indicateurs/export/csv/")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    with translation.override("fr"):
        devices, handovers = str(SECTION_LABELS["devices"]), str(SECTION_LABELS["handovers"])
        handed_over, recorded = str(FIGURE_LABELS["handed_over"]), str(FIGURE_LABELS["recorded"])
    in_csv = {(row[0], row[1]): row[2] for row in rows}
    return {
        "page": (report["devices"]["handed_over"], report["handovers"]["recorded"]),
        "csv": (int(in_csv[devices, handed_over]), int(in_csv[handovers, recorded])),
    }


def command_figures(slug):
    out = io.StringIO()
    call_command("programme_report", campaign=slug, format="json", stdout=out)
    report = json.loads(out.getvalue())
    return report["devices"]["handed_over"], report["handovers"]["recorded"]


@pytest.mark.parametrize("slug", PROGRAMMES)
def test_a_coordinator_runs_their_programme_from_campaign_page_to_report(
    demo, client, slug, django_capture_on_commit_callbacks
):
    username, site_id, foreign_site_id = PROGRAMMES[slug]
    campaign = CampaignPage.objects.get(slug=slug)
    site = MediationSite.objects.get(identifier=site_id)
    foreign_site = MediationSite.objects.get(identifier=foreign_site_id)
    forms = {page.kind: page for page in FormPage.objects.child_of(campaign).live()}
    prescription_form, handover_form = forms["prescription"], forms["handover"]
    coordinator = campaign.coordinators.get(username=username)

    # The public campaign page: its live figures and its link to its prescription form.
    html = client.get(f"/campagnes/{slug}/").content.decode()
    assert 'class="key-figures key-figures--live"' in html
    assert f'href="{prescription_form.url}"' in html
    assert f'href="{forms["pledge"].url}"' in html

    login(client, username)
    before = handed_over_figures(client, campaign)
    assert before["page"] == before["csv"] == command_figures(slug)
    client.logout()

    # A prescriber walks the form and is offered the campaign's own sites only.
    last_pk = Prescription.objects.order_by("pk").last().pk
    walk = Walk(client, prescription_form)
    answers = prescription_answers(campaign, site)
    walk.get("etape-1")
    for step in ("etape-1", "etape-2", "etape-3"):
        assert walk.post(step, answers[step]).status_code == 302, step
    offered = walk.get("etape-4").context["form"].fields["site"].queryset
    assert site in offered and foreign_site not in offered
    assert set(offered) <= set(MediationSite.objects.for_campaign(campaign))
    refused = walk.post("etape-4", {"site": str(foreign_site.pk)})
    assert refused.status_code == 200 and not refused.context["form"].is_valid()
    for step in ("etape-4", "etape-5"):
        assert walk.post(step, answers[step]).status_code == 302, step
    with django_capture_on_commit_callbacks(execute=True):
        assert walk.post("verification").status_code == 302
    prescription = Prescription.objects.get(pk__gt=last_pk)
    assert (prescription.campaign, prescription.site) == (campaign, site)
    assert prescription.form_page_id == prescription_form.pk

    # The coordinator sees it, and no other campaign's prescription.
    login(client, username)
    listing = client.get("/admin/forms/prescription/")
    listed = list(listing.context["object_list"])
    assert prescription in listed and {p.campaign_id for p in listed} == {campaign.pk}
    assert client.get(f"/admin/forms/prescription/edit/{prescription.pk}/").status_code == 200
    foreign = Prescription.objects.exclude(campaign=campaign).order_by("pk").first()
    assert not re.search(rf"{foreign.reference}\b", listing.content.decode())
    # Refused as Wagtail refuses: back to the admin home with its "no permission" message.
    refused = client.get(f"/admin/forms/prescription/edit/{foreign.pk}/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    (message,) = [str(m) for m in get_messages(refused.wsgi_request)]
    assert "vous n&#x27;avez pas les autorisations" in message

    # Whoever runs the site: its staff, else the coordinator.
    staff = site.staff.filter(is_active=True).first()
    handler = staff.username if staff else username
    accept = f"/admin/forms/prescription/transition/{prescription.pk}/accepted/"
    if campaign.requires_committee:
        login(client, handler)
        client.post(accept, {"note": ""})
        prescription.refresh_from_db()
        assert prescription.status == Prescription.Status.RECEIVED  # the committee decides first
        login(client, username)
        committee = client.get(f"/admin/comite/{campaign.pk}/")
        assert prescription in [row["prescription"] for row in committee.context["rows"]]
        response = client.post(
            f"/admin/comite/{campaign.pk}/",
            {
                "prescriptions": [prescription.pk],
                "meeting_date": timezone.localdate().isoformat(),
                "decision": "accepted",
            },
        )
        assert response.status_code == 302
        prescription.refresh_from_db()
        assert prescription.committee_decision == "accepted"
    login(client, handler)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(accept, {"note": ""}).status_code == 302
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ACCEPTED

    # The handover of a computer of the site's stock, with the campaign's handover form.
    device = device_in_stock(campaign, site, coordinator)
    walk = Walk(client, handover_form)
    answers = handover_answers(site, device, prescription)
    walk.get("etape-1")
    for step in ("etape-1", "etape-2", "etape-3", "etape-4"):
        response = walk.post(step, answers[step])
        assert response.status_code == 302, (step, response.context["form"].errors)
    with django_capture_on_commit_callbacks(execute=True):
        assert walk.post("verification").status_code == 302
    sheet = HandoverSheet.objects.get(prescription=prescription)
    assert (sheet.campaign, sheet.site, sheet.device) == (campaign, site, device)
    device.refresh_from_db()
    prescription.refresh_from_db()
    assert device.status == DeviceStatus.HANDED_OVER
    assert prescription.status == Prescription.Status.EQUIPPED

    # The coordinator's indicators, their CSV and the command count one more handover.
    login(client, username)
    after = handed_over_figures(client, campaign)
    expected = (before["page"][0] + 1, before["page"][1] + 1)
    assert after["page"] == after["csv"] == command_figures(slug) == expected
