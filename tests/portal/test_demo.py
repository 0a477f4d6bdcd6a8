import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from content.enums import KeyFigureMetric, NotificationEvent
from content.metrics import campaign_figures
from content.models import CampaignPage, HomePage, MediationSite, NavigationSettings
from forms.engine.models.form_page import FormPage
from forms.engine.recipients import audience
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.handover.review import OneYearReview
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from forms.logistics.models.device import Device
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.models.loan import Loan
from forms.logistics.models.lot import Lot
from forms.logistics.services.report import programme_report
from portal.demo.fixtures import read_fixture

pytestmark = pytest.mark.django_db

# slug: (départements, communes, start, end, coordinator)
PROGRAMMES = {
    "mon-ordi-est-une-chance": ("17", "", "2020-11-16", "2021-03-31", "coord-face17"),
    "ordinateurs-solidaires-poitiers": ("86", "86194", "2023-03-01", None, "coord-poitiers"),
    "ordipin40": ("40", "", "2020-01-01", "2023-12-31", "coord-landes"),
    "filiere-anjou": ("49", "", "2021-01-01", "2021-12-31", "coord-anjou"),
    "ordi-2-0-lorient": ("56", "56121", "2022-09-01", None, "coord-lorient"),
}
# Every record that happens at a mediation site, with the path to its site.
SITED_RECORDS = [
    (Prescription, "site"),
    (HandoverSheet, "site"),
    (Lot, "site"),
    (Device, "site"),
    (Loan, "site"),
]


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("url_path", "live")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "sites": list(Site.objects.values_list("hostname", "root_page_id")),
        "mediation sites": MediationSite.objects.count(),
        "records": [
            model.objects.count()
            for model in (DonorPledge, Device, Lot, Prescription, HandoverSheet, Loan)
        ],
        "documents": GeneratedDocument.objects.count(),
        "criteria": list(
            PriorityCriterion.objects.order_by("pk").values_list("campaign_id", "order", "label")
        ),
        "programmes": sorted(
            (page.slug, page.departments, sorted(page.sites.values_list("pk", flat=True)))
            for page in CampaignPage.objects.all()
        ),
        "coordinators": sorted(
            CampaignPage.coordinators.through.objects.values_list("campaignpage_id", "user_id")
        ),
    }


def test_load_demo_builds_the_demo_site_and_is_idempotent(client, capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first

    usernames = ["admin", "communication", "coordination", "mediation", "mediation2"]
    for username in usernames + [programme[4] for programme in PROGRAMMES.values()]:
        assert username in output
        assert client.login(username=username, password=username)
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    titles = set(CampaignPage.objects.live().values_list("title", flat=True))
    assert {"Mon ordi est une chance", "Ordinateurs solidaires à Poitiers", "OrdiPin40"} <= titles
    for slug in ("a-propos", "mentions-legales", "donnees-personnelles", "accessibilite"):
        assert client.get(f"/{slug}/").status_code == 200
    assert NavigationSettings.objects.get().main_menu
    home = client.get("/")
    assert "Ordinateurs solidaires à Poitiers" in home.content.decode()  # a running campaign
    for slug in PROGRAMMES:
        assert client.get(f"/campagnes/{slug}/").status_code == 200
    # The programmes over by now are listed as finished, the latest first.
    finished = client.get("/campagnes/?status=finished").context["campaigns"]
    assert [page.slug for page in finished] == [
        "filiere-anjou",
        "mon-ordi-est-une-chance",
        "ordipin40",
    ]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the class and rolled back after it: each test runs in a
    savepoint of it (loading it takes seconds, more on PostgreSQL)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    """What the loaded demo holds (the test above loads it in an empty database)."""

    def test_no_demo_figure_is_typed_by_hand(self, client):
        """The demo's key figures are live blocks that name a metric (and a goal), never a
        number: the figures come from the campaign's records."""
        campaigns = read_fixture("campaigns.json")["campaigns"]
        for item in campaigns:
            types = [block["type"] for block in item["body"]]
            assert "key_figures" not in types, item["slug"]
            assert types.count("live_figures") == 1, item["slug"]
            (block,) = (block for block in item["body"] if block["type"] == "live_figures")
            assert block["value"]["heading"] == "Les chiffres de la campagne"
            for figure in block["value"]["figures"]:
                assert set(figure) == {"metric", "label", "goal"}
                assert figure["metric"] in KeyFigureMetric.values
        face = next(item for item in campaigns if item["slug"] == "mon-ordi-est-une-chance")
        assert {
            "type": "live_figures",
            "value": {
                "heading": "Les chiffres de la campagne",
                "figures": [
                    {"metric": "donor_organisations", "label": "", "goal": None},
                    {"metric": "handed_over_devices", "label": "", "goal": 500},
                ],
            },
        } in face["body"]
        # The demo (loaded for the class) shows on every campaign page its figures counted
        # from its records.
        for item in campaigns:
            page = CampaignPage.objects.get(slug=item["slug"])
            stored = [block.block_type for block in page.body]
            assert "key_figures" not in stored and "live_figures" in stored
            html = client.get(page.url).content.decode()
            assert "312</strong>" not in html and "1802" not in html
            (block,) = (block for block in page.body if block.block_type == "live_figures")
            figures = campaign_figures(page)
            for figure in block.value["figures"]:
                assert f">{figures[figure['metric']]}<" in html, (item["slug"], figure["metric"])
        face = CampaignPage.objects.get(slug="mon-ordi-est-une-chance")
        assert campaign_figures(face)["handed_over_devices"] > 0

    def test_each_programme_is_told_of_its_own_pledges_and_answers(self):
        """A FACE pledge reaches FACE's coordinator, not the all-programme account
        (which coordinates every campaign): each campaign's notification rules."""
        for slug, (*_rest, coordinator) in PROGRAMMES.items():
            campaign = CampaignPage.objects.get(slug=slug)
            own = get_user_model().objects.get(username=coordinator).email
            for event in (NotificationEvent.PLEDGE, NotificationEvent.FORM_ANSWER):
                assert audience(event, campaign).staff == [own], (slug, event)
            for form in FormPage.objects.child_of(campaign):
                assert form.notify_email_list() == [], (slug, form.slug)

    def test_each_programme_has_its_place_period_people_sites_and_records(self, client):
        campaigns = {page.slug: page for page in CampaignPage.objects.live()}
        assert set(PROGRAMMES) <= set(campaigns)
        for slug, (departments, communes, start, end, coordinator) in PROGRAMMES.items():
            campaign = campaigns[slug]
            assert campaign.department_codes() == [departments], slug
            assert campaign.commune_names_or_codes() == ([communes] if communes else []), slug
            assert campaign.start_date == datetime.date.fromisoformat(start), slug
            assert campaign.end_date == (datetime.date.fromisoformat(end) if end else None), slug
            # Its own coordinator, who coordinates nothing else.
            own = get_user_model().objects.get(username=coordinator)
            assert list(own.coordinated_campaigns.all()) == [campaign]
            assert own.groups.filter(name="Coordination").exists()
            # Its sites lie in its territory, and the editor's revision holds them too.
            sites = list(campaign.sites.all())
            assert sites, slug
            for site in sites:
                assert site.department == departments, (slug, site.identifier)
                assert not communes or site.code_insee == communes, (slug, site.identifier)
            latest = campaign.get_latest_revision_as_object()
            assert {site.pk for site in latest.sites.all()} == {site.pk for site in sites}
            assert coordinator in latest.coordinators.values_list("username", flat=True)
            # Its own ordered criteria.
            criteria = PriorityCriterion.objects.filter(campaign=campaign).order_by("order")
            assert [c.order for c in criteria] == list(range(1, criteria.count() + 1)), slug
            # Records of its own, each at one of its own sites, with its own criteria.
            site_ids = {site.pk for site in sites}
            for model, field in SITED_RECORDS:
                records = model.objects.filter(campaign=campaign, **{f"{field}__isnull": False})
                assert set(records.values_list(f"{field}_id", flat=True)) <= site_ids, (slug, model)
            prescriptions = Prescription.objects.filter(campaign=campaign)
            assert prescriptions.exists(), slug
            assert not prescriptions.exclude(priority_criterion__campaign=campaign).exists(), slug
            assert DonorPledge.objects.filter(campaign=campaign).exists(), slug
            assert Device.objects.filter(campaign=campaign).exists(), slug
            # Devices never travel to another programme's site.
            assert not Device.objects.exclude(campaign=campaign).filter(site__in=sites).exists()
        # No record of any campaign names a site outside the campaign.
        for model, field in SITED_RECORDS:
            for record in model.objects.exclude(**{f"{field}__isnull": True}):
                assert record.campaign.sites.filter(pk=getattr(record, f"{field}_id")).exists(), (
                    record
                )

        poitiers = campaigns["ordinateurs-solidaires-poitiers"]
        assert poitiers.requires_committee
        assert [c.label for c in PriorityCriterion.objects.filter(campaign=poitiers)] == [
            "Famille avec enfants sans ordinateur",
            "Demandeur d'emploi",
            "Autre famille suivie par un travailleur social",
            "Étudiant",
        ]
        wording = poitiers.donation_agreement_wording
        for promise in ("gratuité", "traçabilité", "effacement des données", "cérémonie de remise"):
            assert promise in wording
        decided = Prescription.objects.filter(campaign=poitiers).exclude(committee_decision="")
        assert set(decided.values_list("committee_decision", flat=True)) == {
            "accepted",
            "refused",
            "waiting_list",
        }
        assert not decided.filter(committee_meeting_date__isnull=True).exists()
        assert Prescription.objects.filter(campaign=poitiers, committee_decision="").exists()
        handed_over = HandoverSheet.objects.filter(campaign=poitiers)
        assert handed_over and {s.prescription.committee_decision for s in handed_over} == {
            "accepted"
        }
        assert not any(
            campaign.requires_committee
            for slug, campaign in campaigns.items()
            if slug != poitiers.slug
        )

        face = campaigns["mon-ordi-est-une-chance"]
        assert (face.goal, face.goal_donor_organisations, face.goal_refurbishers) == (500, 20, 2)
        assert (face.goal_ceremony_pct, face.goal_accompanied_pct) == (50, 80)
        sheets = HandoverSheet.objects.filter(campaign=face)
        assert sheets.filter(ceremony_attended=True).exists()
        assert sheets.filter(ceremony_attended=False).exists()
        assert (
            sheets.filter(accompanied=True).exists() and sheets.filter(accompanied=False).exists()
        )
        refurbishers = Device.objects.filter(campaign=face).values("refurbisher").distinct()
        assert refurbishers.exclude(refurbisher=None).count() == 2

        anjou = campaigns["filiere-anjou"]
        aptic = Prescription.objects.filter(campaign=anjou, aptic_cheques__gt=0)
        assert aptic.count() >= 3
        assert all(p.aptic_cheques_value == Decimal(10 * p.aptic_cheques) for p in aptic)

        landes = campaigns["ordipin40"]
        lots = Lot.objects.filter(campaign=landes)
        assert lots.count() >= 2 and set(lots.values_list("size", flat=True)) == {10}
        assert GeneratedDocument.objects.filter(
            kind="transfer_agreement", record_reference__in=lots.values("reference")
        ).exists()

        lorient = campaigns["ordi-2-0-lorient"]
        loans = Loan.objects.all()
        assert loans and set(loans.values_list("campaign", flat=True)) == {lorient.pk}
        assert set(loans.values_list("device__campaign", flat=True)) == {lorient.pk}

    def test_demo_forms_are_complete_and_the_staff_demo_works(self, client):
        from forms.engine.models.form_page import FormPage
        from forms.kinds.handover.models import HandoverSheet

        kinds = {page.kind: page for page in FormPage.objects.live()}
        assert set(kinds) >= {"pledge", "prescription", "handover"}
        for page in kinds.values():
            assert page.definition.problems() == []
            assert client.get(page.url, follow=True).status_code == 200 or page.kind == "handover"
        # Each programme has its own pledge, prescription and handover forms, its page links
        # to the first two, and its acknowledgements name it.
        for slug in PROGRAMMES:
            campaign = CampaignPage.objects.get(slug=slug)
            own = {page.kind: page for page in FormPage.objects.child_of(campaign).live()}
            assert {"pledge", "prescription", "handover"} <= set(own), slug
            html = client.get(campaign.url).content.decode()
            for kind in ("pledge", "prescription"):
                assert f'href="{own[kind].url}"' in html, (slug, kind)
            assert campaign.title in own["prescription"].acknowledgement_subject
            assert own["handover"].kind_definition.staff_only
        # The demo site staff see their own site's prescriptions only.
        assert client.login(username="mediation", password="mediation")
        listed = client.get("/admin/forms/prescription/").context["object_list"]
        assert listed and {p.site.identifier for p in listed} == {"demo-40-01"}
        # One computer followed from a company's pledge to a family's handover.
        sheet = HandoverSheet.objects.select_related("device", "prescription").get(
            campaign__slug="ordipin40"
        )
        assert sheet.prescription.status == "equipped"
        assert sheet.device.status == "handed_over" and sheet.device.pledge is not None

    def test_the_demo_free_forms_are_published_walkable_and_have_answers(self, client):
        from forms.engine.models.form_page import FormPage
        from forms.kinds.generic.models import FormAnswer

        for campaign, slug, answers in (
            ("ordi-2-0-lorient", "demande-de-pret", 4),
            ("mon-ordi-est-une-chance", "ceremonie", 3),
        ):
            page = FormPage.objects.get(slug=slug, live=True)
            assert page.kind == "generic" and page.definition.problem_list == []
            assert (
                f"/campagnes/{campaign}/{slug}/"
                in client.get(f"/campagnes/{campaign}/").content.decode()
            )
            start = client.get(page.url)
            assert client.get(start["Location"]).status_code == 200
            statuses = set(
                FormAnswer.objects.filter(form_page=page).values_list("status", flat=True)
            )
            assert (
                FormAnswer.objects.filter(form_page=page).count() == answers and len(statuses) >= 3
            )

    def test_face_s_one_year_reviews_are_sent_and_mostly_answered(self, client):
        # Loaded a second time (the class loaded it once): the reviews are not doubled.
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        face = CampaignPage.objects.get(slug="mon-ordi-est-une-chance")
        reviews = OneYearReview.objects.filter(handover__campaign=face)
        assert reviews.count() == HandoverSheet.objects.filter(campaign=face).count() == 4
        assert reviews.filter(answered_at__isnull=False).count() == 3
        indicators = programme_report(face)["indicators"]
        assert indicators["reviews_pct"]["value"] == 75.0
