"""/healthz: what a load balancer asks each app instance."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms.engine.models.outgoing_email import OutgoingEmail

pytestmark = pytest.mark.django_db


def test_healthy_instance_answers_200_with_the_mail_queue(client):
    OutgoingEmail.objects.create(subject="s", body="b", to=["julie@example.org"])
    OutgoingEmail.objects.filter().update(created_at=timezone.now() - timedelta(minutes=10))
    OutgoingEmail.objects.create(
        subject="sent", body="b", to=["x@example.org"], sent_at=timezone.now()
    )
    OutgoingEmail.objects.create(
        subject="given up", body="b", to=["y@example.org"], attempts=OutgoingEmail.MAX_ATTEMPTS
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["cache"] == "ok"
    assert body["emails"]["waiting"] == 1 and body["emails"]["given_up"] == 1
    assert 600 <= body["emails"]["oldest_waiting_seconds"] < 700
    assert "example.org" not in response.text  # figures only, nothing personal
    assert len(queries) == 2  # SELECT 1 and the mail queue's one aggregate
    assert not response.cookies


def test_empty_queue_has_no_oldest_email(client):
    body = client.get("/healthz").json()
    assert body["emails"] == {"waiting": 0, "given_up": 0, "oldest_waiting_seconds": None}


def test_a_database_that_does_not_answer_gives_503(client):
    with mock.patch("portal.health.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_a_cache_that_does_not_answer_is_degraded_but_serving(client):
    with mock.patch("portal.health.cache.get", side_effect=ConnectionError):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "degraded" and response.json()["status"] == "degraded"


def test_a_load_balancer_probing_by_address_over_http_gets_an_answer(client, settings):
    """Production: unknown Host (the instance's address), plain HTTP, HTTPS redirect on,
    page cache on: no 400, no redirect, no cached copy, no session, no sign-in."""
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.PAGE_CACHE = True
    for _ in range(2):
        response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert client.head("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    # Any other path still goes through the host check.
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
