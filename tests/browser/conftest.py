"""Real Chromium (Debian's package) driven by Playwright against a live server."""

import os

import pytest

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made
# by the test itself (fixtures) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")


@pytest.fixture
def csp_violations():
    """Every Content-Security-Policy violation Chromium reports while a test runs."""
    return []


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"{page.url}: {message.text}")
            if any(marker in message.text for marker in CSP_MARKERS)
            else None
        ),
    )
    yield page
    context.close()
    # The policy is on in every browser test: a page it breaks fails its test.
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def axe():
    """Run axe-core (vendored by the axe-playwright-python package) on a page."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def run(page):
        results = checker.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            },
        )
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return run


@pytest.fixture(autouse=True)
def wagtail_base_data(transactional_db):
    """Transactional tests start from an emptied database (flush): put back what
    Wagtail's and the portal's migrations create (locale, root page and
    collection, staff groups), as every real installation has them."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    from portal.roles import sync_roles

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    sync_roles()
