"""The Content-Security-Policy is on, and the public site, the map, the forms and the
Wagtail admin work under it. Any violation Chromium reports fails the test
(the ``page`` fixture in conftest.py)."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


PUBLIC = [
    "/",
    "/campagnes/",
    "/campagnes/mon-ordi-est-une-chance/",
    "/carte/",
    "/campagnes/mon-ordi-est-une-chance/promesse-de-don/",
    "/campagnes/ordipin40/prescription/",
    "/recherche/?q=Landes",
]
ADMIN = [
    "/admin/",
    "/admin/pages/",
    "/admin/forms/donorpledge/",
    "/admin/forms/prescription/",
    "/admin/forms/device/",
    "/admin/mediation-sites/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/snippets/",
    "/admin/users/",
]


def test_public_pages_map_and_forms_run_under_the_policy(page, live_server, demo_site):
    for path in PUBLIC:
        response = page.goto(live_server.url + path)
        assert response.ok, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.goto(live_server.url + "/carte/")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_selector(".marker-cluster, .leaflet-marker-icon")


def test_the_admin_runs_under_the_policy(page, live_server, demo_site):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "coordination")
    page.fill("#id_password", "coordination")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for path in ADMIN:
        response = page.goto(live_server.url + path)
        assert response.ok, path
        assert "content-security-policy" in response.headers
    # An editor's path: edit a page and open its preview panel.
    page.goto(live_server.url + "/admin/pages/")
    page.locator("a[href*='/edit/']").first.click()
    page.wait_for_selector("form[data-edit-form], form#page-edit-form")
