"""The read API's absolute URLs follow the address the site is served on."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def html_url(client, page):
    return client.get(f"/api/v2/pages/{page.pk}/").json()["meta"]["html_url"]


def test_make_run_address_becomes_the_api_html_url(client, home):
    page = StandardPageFactory(parent=home, slug="a-propos")
    # What `make run HOST=127.0.0.1 PORT=8001` runs before serving.
    call_command("set_site_address", "http://127.0.0.1:8001", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert html_url(client, page) == "http://127.0.0.1:8001/a-propos/"
    call_command("set_site_address", "http://0.0.0.0:8000", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert html_url(client, page) == "http://0.0.0.0:8000/a-propos/"


@override_settings(WAGTAILADMIN_BASE_URL="https://ordis.example.org")
def test_production_takes_the_address_from_configuration(client, home):
    page = StandardPageFactory(parent=home, slug="a-propos")
    call_command("set_site_address", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert html_url(client, page) == "https://ordis.example.org/a-propos/"


def test_a_bad_address_is_refused(home):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("set_site_address", "ordis.example.org")
