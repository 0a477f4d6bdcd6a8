"""The Content-Security-Policy header; tests/browser/ runs every page under it."""

import pytest

from portal.csp import tile_sources


def test_tile_sources_come_from_the_tile_url():
    assert tile_sources("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.fr"
    ]
    assert tile_sources("https://tiles.example.org/{z}/{x}/{y}.png") == [
        "https://tiles.example.org"
    ]
    assert tile_sources("") == []


@pytest.mark.django_db
def test_public_pages_get_the_strict_policy_and_the_admin_its_addition(
    client, home, coordination_user
):
    policy = client.get("/")["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'self'",
        "https://*.tile.openstreetmap.fr",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    client.force_login(coordination_user)
    admin_policy = client.get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in admin_policy
    assert "style-src 'self' 'unsafe-inline'" in admin_policy
