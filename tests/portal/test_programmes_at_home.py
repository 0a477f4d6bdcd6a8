"""Each programme at home in the admin: on the loaded demo, every admin listing (with
its filters), creation form, edit view of the person's records and the device and
loan views, opened as each demo coordinator and site account, show no other
programme's name or code: campaign titles, priority criteria, pledge, device, lot
and loan references, organisations working only for other programmes, and the
sites of other programmes' territories.

The demo is loaded once for the module, in a transaction rolled back at its end.
"""

import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Choices
from django.urls import get_resolver
from django.utils import translation

from content.models import CampaignPage, MediationSite, Organisation
from forms import access, enums
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import PriorityCriterion
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from forms.logistics.models.lot import Lot

pytestmark = pytest.mark.django_db

ACCOUNTS = (
    "coord-face17",
    "coord-poitiers",
    "coord-landes",
    "coord-anjou",
    "coord-lorient",
    "mediation",
    "mediation2",
)
# The refurbishing chain's directory, shared by every programme (docs/ARCHITECTURE.md).
DIRECTORY = "/admin/content/organisation/"
# Edit views opened per model and person (the demo has hundreds of devices).
EDITS_PER_MODEL = 4


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def modeladmin_models():
    """(app_label, model_name) of every model admin registered (its index URL name)."""
    found = set()
    for name in get_resolver().reverse_dict:
        if isinstance(name, str) and name.endswith("_modeladmin_index"):
            found.add(name.removesuffix("_modeladmin_index"))
    from django.apps import apps  # noqa: PLC0415 — test helper, apps are ready here

    models = []
    for label in sorted(found):
        for model in apps.get_models():
            if f"{model._meta.app_label}_{model._meta.model_name}" == label:
                models.append(model)
    return models


def shared_vocabulary():
    """The French labels of the forms' fixed choices ("Demandeur d'emploi" is a social
    status of every handover sheet, not only one programme's criterion)."""
    with translation.override("fr"):
        return {
            str(label)
            for value in vars(enums).values()
            if isinstance(value, type) and issubclass(value, Choices) and value is not Choices
            for label in value.labels
        }


def foreign_strings(user):
    """Names and codes of the programmes ``user`` does not work in, none of which also
    names something of theirs (a label two programmes share is not a leak)."""
    mine = access.working_campaign_ids(user)
    others = CampaignPage.objects.exclude(pk__in=mine)
    own_sites = set(
        access.scoped_site_registry(user, MediationSite.objects.all()).values_list("pk", flat=True)
    ) | set(access.scoped_sites(user, MediationSite.objects.all()).values_list("pk", flat=True))

    def strings(mine_qs, other_qs, field):
        own = set(mine_qs.values_list(field, flat=True))
        return {value for value in other_qs.values_list(field, flat=True) if value} - own

    found = {}
    for value in strings(CampaignPage.objects.filter(pk__in=mine), others, "title"):
        found[value] = "campaign"
    for value in strings(
        PriorityCriterion.objects.filter(campaign__in=mine),
        PriorityCriterion.objects.filter(campaign__in=others),
        "label",
    ):
        found[value] = "criterion"
    for model, field in (
        (DonorPledge, "reference"),
        (Device, "reference"),
        (Device, "code"),
        (Lot, "reference"),
        (Loan, "reference"),
    ):
        if not any(f.name == field for f in model._meta.get_fields()):
            continue
        visible = access.scope(user, model.objects.all())
        for value in strings(visible, model.objects.filter(campaign__in=others), field):
            found[value] = f"{model._meta.model_name}.{field}"
    for value in strings(
        access.scoped_organisations(user, Organisation.objects.all()),
        Organisation.objects.all(),
        "name",
    ):
        found[value] = "organisation"
    foreign_sites = MediationSite.objects.filter(campaigns__in=others).exclude(pk__in=own_sites)
    for value in strings(MediationSite.objects.filter(pk__in=own_sites), foreign_sites, "nom"):
        found[value] = "site"
    # A foreign label inside one of theirs ("Étudiant" in "Étudiant boursier") is no leak.
    own = set(CampaignPage.objects.filter(pk__in=mine).values_list("title", flat=True))
    own |= set(PriorityCriterion.objects.filter(campaign__in=mine).values_list("label", flat=True))
    own |= set(MediationSite.objects.filter(pk__in=own_sites).values_list("nom", flat=True))
    own |= shared_vocabulary()
    return {
        value: kind
        for value, kind in found.items()
        if not any(value in mine_value for mine_value in own)
    }


def leaks(page, foreign):
    text = page.content.decode()
    return sorted(
        f"{kind}: {value}"
        for value, kind in foreign.items()
        if any(
            re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text)
            for form in {value, html.escape(value)}
        )
    )


def admin_urls(user):
    """The listings, creation forms and a few edit views of every model admin, the
    registry's and the device and loan views."""
    urls = []
    for model in modeladmin_models():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, base + "create/"]
        if model._meta.label_lower in access.CAMPAIGN_PATHS:
            records = access.scope(user, model.objects.order_by("pk"))
        elif model is Organisation:
            records = access.scoped_organisations(user, model.objects.order_by("pk"))
        else:
            records = model.objects.order_by("pk")
        urls += [
            f"{base}edit/{pk}/" for pk in records.values_list("pk", flat=True)[:EDITS_PER_MODEL]
        ]
    sites = access.scoped_site_registry(user, MediationSite.objects.order_by("pk"))
    urls += ["/admin/mediation-sites/"]
    urls += [f"/admin/mediation-sites/edit/{pk}/" for pk in sites.values_list("pk", flat=True)[:6]]
    urls += ["/admin/forms/device/stock/", "/admin/comite/"]
    return urls


@pytest.mark.parametrize("username", ACCOUNTS)
def test_no_other_programme_in_any_admin_list(demo, client, username):
    from django.contrib.auth import get_user_model  # noqa: PLC0415 — test helper

    user = get_user_model().objects.get(username=username)
    assert client.login(username=username, password=username)
    foreign = foreign_strings(user)
    assert foreign, "the demo has other programmes to hide"
    found = {}
    opened = 0
    for url in admin_urls(user):
        page = client.get(url)
        if page.status_code != 200:
            continue
        opened += 1
        leaked = leaks(page, foreign)
        if url.startswith(DIRECTORY):  # the shared directory lists every organisation
            leaked = [item for item in leaked if not item.startswith("organisation:")]
        if leaked:
            found[url] = leaked
    assert opened > 5
    assert found == {}, "\n".join(f"{url}: {', '.join(items)}" for url, items in found.items())


def test_registry_hides_candidate_sites_outside_the_territory(demo, client):
    """The Landes coordinator lists and edits the Landes candidates (sites serving no
    campaign), not those of other départements."""
    assert client.login(username="coord-landes", password="coord-landes")
    candidates = MediationSite.objects.filter(campaigns__isnull=True)
    inside = candidates.filter(department="40").first()
    outside = candidates.exclude(department="40").first()
    assert outside is not None
    assert client.get(f"/admin/mediation-sites/edit/{outside.pk}/").status_code in (302, 404)
    listing = client.get("/admin/mediation-sites/", {"q": outside.nom})
    assert outside.nom not in listing.content.decode()
    if inside is not None:
        assert client.get(f"/admin/mediation-sites/edit/{inside.pk}/").status_code == 200


def test_programme_specific_questions_only_where_the_campaign_asks_them(demo, client):
    """APTIC cheques (an Anjou scheme) are asked in Anjou's prescription forms only:
    not in Poitiers' public form nor in its prescriptions' admin edit form."""
    from forms.engine.models.form_page import FormPage  # noqa: PLC0415 — test helper
    from forms.kinds.prescription.models import Prescription  # noqa: PLC0415

    poitiers = CampaignPage.objects.get(slug="ordinateurs-solidaires-poitiers")
    anjou = CampaignPage.objects.get(slug="filiere-anjou")
    assert (poitiers.uses_aptic_cheques, anjou.uses_aptic_cheques) == (False, True)
    for page in FormPage.objects.child_of(poitiers).filter(kind="prescription"):
        assert page.definition.field("aptic_cheques") is None
    for username, campaign, asked in (
        ("coord-poitiers", poitiers, False),
        ("coord-anjou", anjou, True),
    ):
        prescription = Prescription.objects.filter(campaign=campaign).first()
        assert client.login(username=username, password=username)
        page = client.get(f"/admin/forms/prescription/edit/{prescription.pk}/")
        assert page.status_code == 200
        assert ('name="aptic_cheques"' in page.content.decode()) is asked
