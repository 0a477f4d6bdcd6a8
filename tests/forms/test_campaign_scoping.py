"""The programme (campaign) is the unit of work: who sees which records, model by model.

A table names, for every staff model registered in the admin, its list and edit
URLs and the records built for campaign A, campaign B and (where the model
allows one) a legacy record without campaign. Each person below opens the list
(a real request) and every record's edit view: they see exactly their records
and get 403/404 (or the login page) on the others.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import get_snippet_models
from wagtail_modeladmin.options import ModelAdmin

from content.models import CampaignPage
from forms import access
from forms.kinds.generic.models import FormAnswer
from forms.kinds.prescription.models import PriorityCriterion
from forms.logistics.models.device import DeviceBatch
from forms.logistics.models.documents import DocumentWording
from forms.logistics.models.donor_link import DonorFollowUpLink
from forms.logistics.models.identity import ProgrammeIdentity
from forms.logistics.models.loan import MaintenanceEntry
from forms.logistics.models.lot import Lot
from forms.partners.keys import create_key
from portal.roles import COMMUNICATION, COORDINATION, MEDIATION
from tests.factories import (
    DeviceBatchFactory,
    DeviceFactory,
    DonorPledgeFactory,
    HandoverSheetFactory,
    LoanFactory,
    MediationSiteFactory,
    OrganisationFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"forms", "content", "portal"}
PEOPLE = ("coord_a", "coord_ab", "coord_b", "staff_a", "superuser", "communication", "anonymous")


def registered_admin_models():
    """Labels of the project's models that have an admin list (modeladmin, snippets, viewsets)."""
    reverse("wagtailadmin_home")  # loads the admin's URLs, which registers the viewsets
    labels = set()
    pending = list(ModelAdmin.__subclasses__())
    while pending:
        admin = pending.pop()
        pending.extend(admin.__subclasses__())
        model = getattr(admin, "model", None)
        if model is not None and admin.__module__.split(".")[0] in PROJECT_APPS:
            labels.add(model._meta.label_lower)
    labels |= {
        model._meta.label_lower
        for model in get_snippet_models()
        if model._meta.app_label in PROJECT_APPS
    }
    labels |= {
        viewset.model._meta.label_lower
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and viewset.model._meta.app_label in PROJECT_APPS
    }
    return labels


def modeladmin(label):
    app, model = label.split(".")
    return f"/admin/{app}/{model}/", lambda pk: f"/admin/{app}/{model}/edit/{pk}/"


# How each admin model is reached: list URL, edit URL, and its kind of scoping:
# "campaign" (coordinators of its campaign), "campaign+site" (and its site's staff),
# "shared" (every coordinator: not a programme's record), "registry" (mediation sites).
TABLE = {
    "forms.donorpledge": ("campaign", *modeladmin("forms.donorpledge")),
    "forms.prescription": ("campaign+site", *modeladmin("forms.prescription")),
    "forms.handoversheet": ("campaign+site", *modeladmin("forms.handoversheet")),
    "forms.formanswer": ("campaign", *modeladmin("forms.formanswer")),
    "forms.device": ("campaign+site", *modeladmin("forms.device")),
    "forms.devicebatch": ("campaign", *modeladmin("forms.devicebatch")),
    "forms.lot": ("campaign+site", *modeladmin("forms.lot")),
    "forms.loan": ("campaign+site", *modeladmin("forms.loan")),
    "forms.prioritycriterion": ("campaign", *modeladmin("forms.prioritycriterion")),
    "forms.programmeidentity": ("campaign", *modeladmin("forms.programmeidentity")),
    # A partner's key: seen by whoever coordinates every campaign it may send to.
    "forms.partnerkey": ("campaign", *modeladmin("forms.partnerkey")),
    "content.organisation": ("shared", *modeladmin("content.organisation")),
    "forms.documentwording": (
        "shared",
        "/admin/snippets/forms/documentwording/",
        lambda pk: f"/admin/snippets/forms/documentwording/edit/{pk}/",
    ),
    "content.mediationsite": (
        "registry",
        "/admin/mediation-sites/",
        lambda pk: f"/admin/mediation-sites/edit/{pk}/",
    ),
}


def test_every_admin_model_is_in_the_table():
    """A new model in the admin must say here how it reaches a campaign."""
    assert registered_admin_models() == set(TABLE)


@pytest.fixture
def world(campaign_index):
    users = {
        "coord_a": UserFactory(username="coord-a", groups=[COORDINATION]),
        "coord_ab": UserFactory(username="coord-ab", groups=[COORDINATION]),
        "coord_b": UserFactory(username="coord-b", groups=[COORDINATION]),
        "staff_a": UserFactory(username="staff-a", groups=[MEDIATION]),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "communication": UserFactory(username="com", groups=[COMMUNICATION]),
    }
    # Site staff may also hold the view permission of devices and lots: still their sites only.
    users["staff_a"].user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="forms", codename__in=["view_device", "view_lot"]
        )
    )
    campaigns = {
        "a": coordinated_campaign(
            users["coord_a"], users["coord_ab"], parent=campaign_index, title="Programme Alpha"
        ),
        "b": coordinated_campaign(
            users["coord_b"], users["coord_ab"], parent=campaign_index, title="Programme Bêta"
        ),
    }
    sites = {
        "a": MediationSiteFactory(nom="Lieu Alpha", staff=[users["staff_a"]]),
        "b": MediationSiteFactory(nom="Lieu Bêta"),
        "legacy": MediationSiteFactory(nom="Lieu Hérité"),
    }
    campaigns["a"].sites.add(sites["a"])
    campaigns["a"].save()
    campaigns["b"].sites.add(sites["b"])
    campaigns["b"].save()
    candidate = MediationSiteFactory(nom="Lieu Candidat")  # serves no campaign yet

    records = {label: {} for label in TABLE}
    for key in ("a", "b", "legacy"):
        campaign = campaigns.get(key)
        site = sites[key]
        records["forms.donorpledge"][key] = DonorPledgeFactory(campaign=campaign)
        records["forms.prescription"][key] = PrescriptionFactory(campaign=campaign, site=site)
        records["forms.handoversheet"][key] = HandoverSheetFactory(campaign=campaign, site=site)
        records["forms.formanswer"][key] = FormAnswer.objects.create(
            reference=f"REP-2026-0000{len(key)}{key[0]}", campaign=campaign
        )
        records["forms.device"][key] = DeviceFactory(
            campaign=campaign, site=site, status="allocated"
        )
        records["forms.devicebatch"][key] = DeviceBatchFactory(campaign=campaign)
        records["forms.lot"][key] = Lot.objects.create(site=site, size=1, campaign=campaign)
        records["forms.loan"][key] = LoanFactory(
            campaign=campaign, site=site, borrower_name=f"Emprunteur {key}"
        )
        if campaign is not None:  # criteria always belong to a campaign
            records["forms.prioritycriterion"][key] = PriorityCriterion.objects.create(
                label=f"Critère {key}", order=1, campaign=campaign
            )
            records["forms.programmeidentity"][key] = ProgrammeIdentity.objects.create(
                campaign=campaign, name=f"Identité {key}"
            )
        records["forms.partnerkey"][key] = create_key(
            f"Partenaire {key}", [campaign] if campaign else []
        )[0]
    records["content.organisation"]["shared"] = OrganisationFactory(name="Atelier Partagé")
    records["forms.documentwording"]["shared"] = DocumentWording.objects.create(
        kind="donation_agreement", title="Convention partagée"
    )
    records["content.mediationsite"] = {**sites, "candidate": candidate}
    return users, records


def marker(label, record):
    """What the list shows of ``record``."""
    return {
        "forms.device": lambda r: r.inventory_code,
        "forms.prioritycriterion": lambda r: r.label,
        "forms.programmeidentity": lambda r: r.name,
        "forms.partnerkey": lambda r: r.name,
        "content.organisation": lambda r: r.name,
        "forms.documentwording": lambda r: r.get_kind_display(),
        "content.mediationsite": lambda r: r.nom,
    }.get(label, lambda r: r.reference)(record)


# Which keys of the world each person sees, by kind of scoping.
COORDINATED = {"coord_a": {"a"}, "coord_ab": {"a", "b"}, "coord_b": {"b"}}
# Model permissions of site staff (portal.roles MEDIATION, plus view_device and view_lot above).
STAFF_MODELS = {
    "forms.prescription",
    "forms.handoversheet",
    "forms.device",
    "forms.lot",
    "forms.loan",
}


def expected(person, label, keys):
    scoping = TABLE[label][0]
    if person == "superuser":
        return set(keys)
    if person in COORDINATED:
        if scoping == "shared":
            return set(keys)
        if scoping == "registry":  # their campaigns' sites and those serving no campaign
            return {"candidate", "legacy"} | COORDINATED[person]
        return COORDINATED[person] & set(keys)
    if person == "staff_a" and scoping == "campaign+site" and label in STAFF_MODELS:
        return {"a"}
    return set()


@pytest.mark.parametrize("person", PEOPLE)
def test_each_person_sees_exactly_their_records(client, world, person):
    users, records = world
    if person != "anonymous":
        client.force_login(users[person])
    for label, (_, list_url, edit_url) in TABLE.items():
        keys = records[label]
        wanted = expected(person, label, keys)
        response = client.get(list_url)
        page = response.content.decode() if response.status_code == 200 else ""
        listed = {key for key, record in keys.items() if marker(label, record) in page}
        assert listed == wanted, (person, label, response.status_code)
        for key, record in keys.items():
            status = client.get(edit_url(record.pk)).status_code
            if key in wanted and label in ("forms.device", "forms.lot") and person == "staff_a":
                assert status in (302, 403), (person, label, key)  # view permission: no edit
            elif key in wanted:
                assert status == 200, (person, label, key, status)
            else:  # refused: not found, forbidden, or sent to the login page or admin home
                assert status in (302, 403, 404), (person, label, key, status)


def test_records_reach_their_campaign_through_their_relations(world):
    """Handover sheets without their own campaign follow their prescription's; follow-up
    links their pledge's; maintenance entries their loan's."""
    users, records = world
    coord_a, coord_b = users["coord_a"], users["coord_b"]
    prescription = records["forms.prescription"]["a"]
    sheet = HandoverSheetFactory(site=records["content.mediationsite"]["b"], campaign=None)
    sheet.prescription = prescription
    sheet.save()
    link = DonorFollowUpLink.objects.create(pledge=records["forms.donorpledge"]["a"])
    entry = MaintenanceEntry.objects.create(
        loan=records["forms.loan"]["a"], description="Écran changé"
    )
    for record in (sheet, link, entry):
        model = type(record)
        assert access.can_see(coord_a, record) and not access.can_see(coord_b, record)
        assert access.scope(coord_a, model.objects.filter(pk=record.pk)).exists()
        assert not access.scope(coord_b, model.objects.filter(pk=record.pk)).exists()
    # Site staff: the maintenance of their site's loans.
    assert access.can_see(users["staff_a"], entry)
    assert access.scope(users["staff_a"], MaintenanceEntry.objects.all()).get() == entry


def test_a_record_without_campaign_is_for_superusers_only(world):
    users, records = world
    legacy = records["forms.donorpledge"]["legacy"]
    assert access.can_see(users["superuser"], legacy)
    for person in ("coord_a", "coord_ab", "coord_b", "staff_a", "communication"):
        assert not access.can_see(users[person], legacy)


def test_campaign_helpers_and_query_counts(world, django_assert_num_queries):
    users, records = world
    a = records["forms.prescription"]["a"].campaign_id
    b = records["forms.prescription"]["b"].campaign_id
    assert access.campaign_ids_of(users["coord_ab"]) == {a, b}
    assert access.campaign_ids_of(users["coord_a"]) == {a}
    assert access.campaign_ids_of(users["staff_a"]) == frozenset()
    assert access.campaign_ids_of(users["communication"]) == frozenset()
    assert access.campaign_ids_of(users["superuser"]) == {a, b}
    campaigns = CampaignPage.objects.all()
    assert set(access.scoped_campaigns(users["coord_a"], campaigns)) == {
        CampaignPage.objects.get(pk=a)
    }
    # Site staff choose among the campaigns their sites serve.
    assert list(
        access.scoped_campaigns(users["staff_a"], campaigns).values_list("pk", flat=True)
    ) == [a]
    # The user's ids are read once (group and campaigns together, sites), then every
    # check is free.
    user = type(users["coord_a"]).objects.get(pk=users["coord_a"].pk)
    with django_assert_num_queries(2):
        for key in ("a", "b", "legacy"):
            for label in ("forms.device", "forms.lot", "forms.loan", "forms.donorpledge"):
                access.can_see(user, records[label][key])
    with django_assert_num_queries(0):
        access.can_see(user, records["forms.prescription"]["b"])


def test_campaign_filter_and_campaign_field_offer_only_the_users_campaigns(client, world):
    users, records = world
    a = records["forms.prescription"]["a"].campaign
    b = records["forms.prescription"]["b"].campaign
    # The prescriptions' list has a campaign filter and no campaign column.
    for person, offered in (
        ("coord_a", {"Programme Alpha"}),
        ("coord_ab", {"Programme Alpha", "Programme Bêta"}),
        ("staff_a", {"Programme Alpha"}),  # the campaigns their site serves
        ("superuser", {"Programme Alpha", "Programme Bêta"}),
    ):
        client.force_login(users[person])
        listing = client.get("/admin/forms/prescription/").content.decode()
        assert {t for t in ("Programme Alpha", "Programme Bêta") if t in listing} == offered
    client.force_login(users["coord_a"])
    form = client.get("/admin/forms/devicebatch/create/").content.decode()
    assert ">Programme Alpha<" in form and "Programme Bêta" not in form
    client.force_login(users["coord_ab"])
    form = client.get("/admin/forms/devicebatch/create/").content.decode()
    assert ">Programme Alpha<" in form and ">Programme Bêta<" in form
    # A batch cannot be created in another programme's campaign, only in one's own.
    client.force_login(users["coord_a"])
    data = {
        "kind": "public_body",
        "supplier_name": "Mairie",
        "received_on": datetime.date(2026, 3, 1).isoformat(),
    }
    response = client.post("/admin/forms/devicebatch/create/", {**data, "campaign": b.pk})
    assert response.status_code == 200  # the form comes back with an error
    assert not DeviceBatch.objects.filter(supplier_name="Mairie").exists()
    response = client.post("/admin/forms/devicebatch/create/", {**data, "campaign": a.pk})
    assert response.status_code == 302
    assert DeviceBatch.objects.get(supplier_name="Mairie").campaign_id == a.pk
