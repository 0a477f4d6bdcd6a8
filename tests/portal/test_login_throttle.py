"""Admin sign-in is throttled: after AXES_FAILURE_LIMIT failures even the
right password is refused, until an unlock command or the cool-off period."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from portal.roles import COORDINATION
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.fixture
def staff():
    user = UserFactory(username="claire", groups=[COORDINATION])
    user.set_password("le-bon-mot-de-passe")
    user.save()
    return user


def sign_in(client, password, username="claire", address="198.51.100.20"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return client.get("/admin/").status_code == 200


def lock_out(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "mauvais")
    return response


def test_lockout_refuses_the_right_password_until_unlocked(client, staff, settings):
    response = lock_out(client, settings)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives de connexion" in html
    assert "même avec le bon mot de passe" in html
    response = sign_in(client, "le-bon-mot-de-passe")
    assert response.status_code == 429 and not signed_in(client)
    # From another address too: the account itself is locked.
    assert sign_in(client, "le-bon-mot-de-passe", address="203.0.113.5").status_code == 429
    call_command("axes_reset_username", "claire")
    response = sign_in(client, "le-bon-mot-de-passe")
    assert response.status_code == 302 and signed_in(client)


def test_lockout_expires_after_the_cool_off(client, staff, settings):
    lock_out(client, settings)
    assert sign_in(client, "le-bon-mot-de-passe").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert sign_in(client, "le-bon-mot-de-passe").status_code == 302 and signed_in(client)


def test_one_address_trying_many_accounts_is_locked_out(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "mauvais", username=f"inconnu{n}")
    assert sign_in(client, "le-bon-mot-de-passe").status_code == 429


def test_a_few_mistakes_do_not_lock_out(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "mauvais")
        assert response.status_code == 200  # the sign-in form again, with its error
    assert sign_in(client, "le-bon-mot-de-passe").status_code == 302


def test_the_test_client_login_still_works(client, staff):
    assert client.login(username="claire", password="le-bon-mot-de-passe")
