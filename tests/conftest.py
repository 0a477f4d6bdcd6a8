import os

import pytest

from portal.roles import COMMUNICATION, COORDINATION
from tests.factories import UserFactory, make_site_tree

# A real redis-server for the cache tests (``redis_server``, ``redis_caches``).
pytest_plugins = ["tests.redis_server"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (rate-limit counters, routes, pages)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


# The site-wide identity every test's documents are issued under: a document that
# would print a placeholder is refused, so tests of that refusal empty it.
TEST_PROGRAMME = {
    "name": "Programme Ordinateurs solidaires",
    "address": "Coordination départementale de l'inclusion numérique\n1 place de la Mairie\n40000 Mont-de-Marsan",
    "siret": "73282932000074",
    "signatory_name": "Camille Durand",
    "signatory_role": "Coordinatrice du programme",
}


@pytest.fixture(autouse=True)
def programme_settings_filled(request):
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db"}:
        return
    transactional = "transactional_db" in names or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from portal.models import ProgrammeSettings  # noqa: PLC0415 (Django is set up by now)

    programme = ProgrammeSettings.load()
    for name, value in TEST_PROGRAMME.items():
        setattr(programme, name, value)
    programme.save()


@pytest.fixture
def site_tree(db):
    """(home, campaign_index): a home page serving the default site."""
    return make_site_tree()


@pytest.fixture
def home(site_tree):
    return site_tree[0]


@pytest.fixture
def campaign_index(site_tree):
    return site_tree[1]


@pytest.fixture
def communication_user(db):
    return UserFactory(username="com", groups=[COMMUNICATION])


@pytest.fixture
def coordination_user(db):
    return UserFactory(username="coord", groups=[COORDINATION])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


# Browser tests -----------------------------------------------------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    # Under .ci/run (REQUIRE_BROWSER_TESTS=1) nothing is skipped: a missing
    # Chromium makes the browser tests fail.
    if os.path.exists(CHROMIUM) or REQUIRE_BROWSER:
        return
    reason = f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)"
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if "Chromium" in str(r.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {len(skipped)} browser test(s) were skipped because Chromium is missing.",
            yellow=True,
        )
