"""Each programme at home: what a coordinator creates in the admin stays theirs.

For every record kind with an admin create view, a coordinator opens the create
page, the form is read as the browser would post it (the campaign select starts
on their only campaign), the required answers are filled, the whole form is
posted, and the new record is in their list and its edit page opens. Naming
another programme's campaign is refused with a French message and saves nothing.
"""

import datetime

import pytest
from django.apps import apps

from portal.roles import COORDINATION, MEDIATION
from tests.factories import (
    DeviceFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
)
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

FUTURE = (datetime.date.today() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")
TODAY = datetime.date.today().strftime("%d/%m/%Y")

# What a person types in each create form (the rest is what the page offers).
ANSWERS = {
    "forms.donorpledge": {
        "organisation_name": "Chantiers de Lorient",
        "organisation_kind": "company",
        "siret": "73282932000074",
        "contact_name": "Anne Le Goff",
        "contact_email": "anne@example.org",
        "contact_phone": "02 97 00 00 00",
        "address": "3 quai des Indes",
        "postcode": "56100",
        "city": "Lorient",
        "laptops": "12",
    },
    "forms.prescription": {
        "beneficiary_first_name": "Yann",
        "beneficiary_last_name": "Kerbrat",
        "beneficiary_phone": "06 12 34 56 78",
        "commune": "Lorient",
        "postcode": "56100",
        "situation": "job_seeker",
        "needs": "computer",
        "prescriber_kind": "ASSO",
        "prescriber_organisation": "France Travail Lorient",
        "prescriber_name": "Mme Le Bihan",
        "prescriber_email": "prescriptrice@example.org",
    },
    "forms.handoversheet": {"handover_date": TODAY},
    "forms.device": {"inventory_code": "EQ-LOR-00001", "brand": "Lenovo"},
    "forms.devicebatch": {"kind": "purchase", "supplier_name": "Chantiers de Lorient"},
    "forms.lot": {"size": "1", "price": "1.00"},
    "forms.loan": {"family_quotient": "450", "due_date": FUTURE},
    "forms.prioritycriterion": {"label": "Demandeurs d’emploi"},
}


def marker(record):
    """What the list shows of ``record``."""
    for name in ("reference", "inventory_code", "label"):
        value = getattr(record, name, "")
        if value:
            return value
    raise AssertionError(record)


def admin_url(label, action="", pk=None):
    app, model = label.split(".")
    url = f"/admin/{app}/{model}/"
    if action:
        url += f"{action}/"
    if pk is not None:
        url += f"{pk}/"
    return url


@pytest.fixture
def lorient(campaign_index):
    """Lorient's coordinator, a coordinator of Lorient and Vannes, and Vannes' own site."""
    coordinator = UserFactory(username="coord-lorient", groups=[COORDINATION])
    both = UserFactory(username="coord-deux", groups=[COORDINATION])
    lorient = coordinated_campaign(coordinator, both, parent=campaign_index, title="Lorient")
    vannes = coordinated_campaign(both, parent=campaign_index, title="Vannes")
    quimper = coordinated_campaign(parent=campaign_index, title="Quimper")  # nobody's here
    site = MediationSiteFactory(nom="Espace Lorient")
    vannes_site = MediationSiteFactory(nom="Espace Vannes")
    lorient.sites.add(site)
    lorient.save()
    vannes.sites.add(vannes_site)
    vannes.save()
    return {
        "coordinator": coordinator,
        "both": both,
        "campaigns": {"lorient": lorient, "vannes": vannes, "quimper": quimper},
        "sites": {"lorient": site, "vannes": vannes_site},
    }


def prepare(label, campaign, site):
    """What some kinds need first: the device handed over (in the site's stock), a
    ready device for lots; for loans, one and the household's prescription."""
    if label == "forms.handoversheet":  # the device handed over, in the site's stock
        return {"device": DeviceFactory(campaign=campaign, site=site, status="allocated")}
    if label == "forms.lot":
        return {"device": DeviceFactory(campaign=campaign, status="ready")}
    if label == "forms.loan":
        return {
            "device": DeviceFactory(campaign=campaign, status="ready"),
            "prescription": PrescriptionFactory(campaign=campaign, site=site),
        }
    return {}


def fill(label, form_data, site, needed):
    data = {**form_data, **ANSWERS[label]}
    if "site" in data and not data["site"]:
        data["site"] = str(site.pk)
    if label == "forms.handoversheet":
        data["device_code"] = needed["device"].inventory_code
    if label == "forms.loan":
        data["device"] = str(needed["device"].pk)
        data["prescription"] = str(needed["prescription"].pk)
    if label == "forms.device":
        data["inventory_code"] = f"EQ-LOR-{site.pk:05d}"
    return data


def create(client, label, campaign=None, site=None, needed=None):
    """GET the create page, read it as a browser, fill it, POST it whole."""
    response = client.get(admin_url(label, "create"))
    assert response.status_code == 200
    data = fill(label, read_form(response.content.decode()).data(), site, needed or {})
    if campaign is not None:
        data["campaign"] = str(campaign.pk)
    return data, client.post(admin_url(label, "create"), data)


def problems(response):
    """The form's errors, to say why a create page was shown again."""
    form = response.context and response.context.get("form")
    return form.errors.as_data() if form is not None else response.status_code


KINDS = list(ANSWERS)


@pytest.mark.parametrize("label", KINDS)
def test_a_coordinator_of_one_campaign_finds_what_they_create(client, lorient, label):
    model = apps.get_model(label)
    campaign, site = lorient["campaigns"]["lorient"], lorient["sites"]["lorient"]
    needed = prepare(label, campaign, site)
    client.force_login(lorient["coordinator"])
    before = set(model.objects.values_list("pk", flat=True))

    data, response = create(client, label, site=site, needed=needed)

    # The campaign select started on their only campaign: nothing to choose.
    assert data["campaign"] == str(campaign.pk)
    assert response.status_code == 302, problems(response)
    [record] = model.objects.exclude(pk__in=before)
    assert record.campaign_id == campaign.pk
    assert client.get(response["Location"]).status_code == 200
    listing = client.get(admin_url(label))
    assert marker(record) in listing.content.decode()
    assert client.get(admin_url(label, "edit", record.pk)).status_code == 200


@pytest.mark.parametrize("label", KINDS)
def test_a_coordinator_of_two_campaigns_chooses_and_finds_it(client, lorient, label):
    model = apps.get_model(label)
    campaign, site = lorient["campaigns"]["vannes"], lorient["sites"]["vannes"]
    needed = prepare(label, campaign, site)
    client.force_login(lorient["both"])
    page = client.get(admin_url(label, "create")).content.decode()
    assert "Lorient" in page and "Vannes" in page and "Quimper" not in page
    before = set(model.objects.values_list("pk", flat=True))

    data, response = create(client, label, campaign=campaign, site=site, needed=needed)

    assert response.status_code == 302, problems(response)
    [record] = model.objects.exclude(pk__in=before)
    assert record.campaign_id == campaign.pk
    assert marker(record) in client.get(admin_url(label)).content.decode()
    assert client.get(admin_url(label, "edit", record.pk)).status_code == 200


@pytest.mark.parametrize("label", KINDS)
def test_another_programmes_campaign_is_refused_and_nothing_saved(client, lorient, label):
    model = apps.get_model(label)
    campaign, site = lorient["campaigns"]["lorient"], lorient["sites"]["lorient"]
    needed = prepare(label, campaign, site)
    client.force_login(lorient["coordinator"])
    count = model.objects.count()

    _data, response = create(
        client, label, campaign=lorient["campaigns"]["quimper"], site=site, needed=needed
    )

    assert response.status_code == 200
    assert "Cette campagne n’est pas l’une des vôtres" in response.content.decode()
    assert model.objects.count() == count


def test_site_staff_create_for_their_only_site_and_find_it(client, lorient):
    """Site staff see their site's records: the site select starts on their only site
    (handover sheets are what they create in the admin: portal.roles MEDIATION)."""
    label = "forms.handoversheet"
    model = apps.get_model(label)
    site = lorient["sites"]["lorient"]
    staff = UserFactory(username="mediatrice", groups=[MEDIATION])
    site.staff.add(staff)
    client.force_login(staff)
    response = client.get(admin_url(label, "create"))
    data = read_form(response.content.decode()).data()
    assert data["site"] == str(site.pk)
    assert data["campaign"] == str(lorient["campaigns"]["lorient"].pk)
    before = set(model.objects.values_list("pk", flat=True))

    needed = prepare(label, lorient["campaigns"]["lorient"], site)
    response = client.post(admin_url(label, "create"), fill(label, data, site, needed))

    assert response.status_code == 302, problems(response)
    [record] = model.objects.exclude(pk__in=before)
    assert record.site_id == site.pk
    assert marker(record) in client.get(admin_url(label)).content.decode()
    assert client.get(admin_url(label, "edit", record.pk)).status_code == 200


def test_site_staff_cannot_name_another_site(client, lorient):
    site = lorient["sites"]["lorient"]
    staff = UserFactory(username="mediatrice", groups=[MEDIATION])
    site.staff.add(staff)
    client.force_login(staff)
    label = "forms.handoversheet"
    needed = prepare(label, lorient["campaigns"]["lorient"], site)
    response = client.get(admin_url(label, "create"))
    data = fill(label, read_form(response.content.decode()).data(), site, needed)
    data["site"] = str(lorient["sites"]["vannes"].pk)
    count = apps.get_model(label).objects.count()

    response = client.post(admin_url(label, "create"), data)

    assert response.status_code == 200
    assert "Ce lieu de médiation n’est pas l’un des vôtres" in response.content.decode()
    assert apps.get_model(label).objects.count() == count


def test_a_superuser_may_choose_any_campaign(client, lorient):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    page = client.get(admin_url("forms.donorpledge", "create")).content.decode()
    assert all(name in page for name in ("Lorient", "Vannes", "Quimper"))
    quimper = lorient["campaigns"]["quimper"]
    _data, response = create(client, "forms.donorpledge", campaign=quimper)
    assert response.status_code == 302, problems(response)
    assert apps.get_model("forms.donorpledge").objects.get().campaign_id == quimper.pk


def test_free_form_answers_have_no_create_view_for_coordinators(client, lorient):
    """Answers come from the public forms; coordinators have no add permission."""
    client.force_login(lorient["coordinator"])
    assert client.get(admin_url("forms.formanswer", "create")).status_code in {302, 403}
