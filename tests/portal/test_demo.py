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
