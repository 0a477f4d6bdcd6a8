"""The partners' API against a live server, with a real HTTP client and a real
webhook receiver; a retried request, also when both copies arrive at once."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from openapi_spec_validator import validate
from wagtail.models import Collection, Locale, Page

from forms.kinds.prescription.models import Prescription
from forms.partners.keys import create_key
from portal.roles import sync_roles
from tests.partners.conftest import SEND_URL, body
from tests.partners.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def wagtail_base_data(transactional_db):
    """What the migrations create and the flush of a transactional test empties."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    sync_roles()


def call(url, token=None, data=None, **headers):
    """(status, JSON body) of one real HTTP request."""
    request = urllib.request.Request(  # noqa: S310 - the local live server
        url,
        data=json.dumps(data).encode() if data is not None else None,
        method="POST" if data is not None else "GET",
        headers={
            **({"Authorization": f"Bearer {token}"} if token else {}),
            "Content-Type": "application/json",
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - local server
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_openapi_document_is_valid_and_in_french(live_server, db):
    status, document = call(f"{live_server.url}/api/partners/v1/openapi.json")
    assert status == 200
    validate(document)
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert {op["summary"] for op in operations} == {
        "Envoyer une prescription",
        "Suivre une prescription",
        "Prescriptions changées depuis une date",
    }
    assert document["paths"][SEND_URL]["post"]["requestBody"]["content"]["application/json"]


def test_send_and_follow_over_http_with_a_real_webhook_receiver(
    live_server, campaign, prescription_form, sites, settings
):
    settings.PARTNER_WEBHOOK_REQUIRE_HTTPS = False
    settings.PARTNER_WEBHOOK_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        key, token = create_key("Logiciel", [campaign], callback_url=receiver.url)
        receiver.secret = key.webhook_secret
        status, created = call(f"{live_server.url}{SEND_URL}", token, body(sites))
        assert status == 201, created
        assert created["status_url"].startswith(live_server.url)
        status, follow = call(created["status_url"], token)
        assert (status, follow["status"]) == (200, "received")
        Prescription.objects.get(reference=created["reference"]).transition("accepted")
        _status, follow = call(created["status_url"], token)
        assert follow["status"] == "accepted"
    assert receiver.bad_signatures == 0
    assert receiver.statuses() == ["accepted"]
    assert call(f"{live_server.url}{SEND_URL}", "osk_wrong", body(sites))[0] == 401


def test_two_copies_of_one_request_arriving_at_once_create_one_prescription(
    live_server, campaign, prescription_form, sites
):
    if connection.vendor == "sqlite":
        pytest.skip("the live server shares one in-memory SQLite connection between threads")
    _key, token = create_key("Logiciel", [campaign])
    data = body(sites)
    answers = []
    barrier = threading.Barrier(4)

    def post():
        barrier.wait()
        answers.append(
            call(f"{live_server.url}{SEND_URL}", token, data, **{"Idempotency-Key": "lot-7"})
        )

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _answer in answers] == [201] * 4, answers
    assert len({answer["reference"] for _status, answer in answers}) == 1
    assert Prescription.objects.count() == 1
