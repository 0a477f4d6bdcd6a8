import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from content.models import CampaignPage, HomePage, NavigationSettings

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("url_path", "live")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "sites": list(Site.objects.values_list("hostname", "root_page_id")),
    }


def test_load_demo_builds_the_demo_site_and_is_idempotent(client, capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first

    for username in ("admin", "communication", "coordination", "mediation", "mediation2"):
        assert username in output
        assert client.login(username=username, password=username)
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    titles = set(CampaignPage.objects.live().values_list("title", flat=True))
    assert {"Mon ordi est une chance", "Ordinateurs solidaires à Poitiers", "OrdiPin40"} <= titles
    for slug in ("a-propos", "mentions-legales", "donnees-personnelles", "accessibilite"):
        assert client.get(f"/{slug}/").status_code == 200
    assert NavigationSettings.objects.get().main_menu
    home = client.get("/")
    assert "Mon ordi est une chance" in home.content.decode()
    campaign = client.get("/campagnes/mon-ordi-est-une-chance/").content.decode()
    assert "312</strong> / 500" in campaign


def test_demo_forms_are_complete_and_the_staff_demo_works(client):
    from forms.engine.models.form_page import FormPage
    from forms.kinds.handover.models import HandoverSheet

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kinds = {page.kind: page for page in FormPage.objects.live()}
    assert set(kinds) >= {"pledge", "prescription", "handover"}
    for page in kinds.values():
        assert page.definition.problems() == []
        assert client.get(page.url, follow=True).status_code == 200 or page.kind == "handover"
    # The demo site staff see their own site's prescriptions only.
    assert client.login(username="mediation", password="mediation")
    listed = client.get("/admin/forms/prescription/").context["object_list"]
    assert listed and {p.site.identifier for p in listed} == {"demo-40-01"}
    # One computer followed from a company's pledge to a family's handover.
    sheet = HandoverSheet.objects.select_related("device", "prescription").get()
    assert sheet.prescription.status == "equipped"
    assert sheet.device.status == "handed_over" and sheet.device.pledge is not None


def test_the_demo_free_forms_are_published_walkable_and_have_answers(client):
    from forms.engine.models.form_page import FormPage
    from forms.kinds.generic.models import FormAnswer

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
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
        statuses = set(FormAnswer.objects.filter(form_page=page).values_list("status", flat=True))
        assert FormAnswer.objects.filter(form_page=page).count() == answers and len(statuses) >= 3
