"""Mediation sites at the national map's scale (20,000 sites). Run with `make bench`.

Reports: CSV import time, CSV export time, GeoJSON response time cold and warm,
GeoJSON size, and the map page's time to draw all clusters in headless Chromium.
Targets: import < 20 s (SQLite), warm GeoJSON < 50 ms, clusters drawn < 1 s.
"""

import csv
import io
import os
import random
import statistics
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from content import importexport, standards
from content.models import MediationSite
from tests.conftest import CHROMIUM
from tests.factories import MapPageFactory, make_site_tree

SITES = 20_000
# Playwright's sync API runs an event loop in this thread (see tests/browser/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def national_csv(count):
    random.seed(20_000)
    services = standards.allowed_values("services")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=standards.field_names(), lineterminator="\r\n")
    writer.writeheader()
    for n in range(count):
        department = random.choice(["40", "17", "86", "49", "33", "75", "69", "13"])
        writer.writerow(
            {
                "id": f"bench-{n:06d}",
                "pivot": f"{random.randint(10**13, 10**14 - 1)}",
                "nom": f"Lieu de médiation numérique n°{n}",
                "commune": f"Commune {n % 3000}",
                "code_postal": f"{department}{n % 1000:03d}",
                "code_insee": f"{department}{n % 1000:03d}",
                "adresse": f"{n % 200 + 1} rue de la République",
                "latitude": f"{random.uniform(42.5, 51.0):.5f}",
                "longitude": f"{random.uniform(-4.5, 7.5):.5f}",
                "typologie": random.choice(["MUNI", "ASSO", "BIB", "CCAS", "TIERS_LIEUX|ASSO"]),
                "telephone": f"+33{random.randint(100000000, 999999999)}",
                "horaires": "Mo-Fr 09:00-12:00,14:00-17:30",
                "date_maj": "2026-04-02",
                "services": "|".join(random.sample(services, 3)),
                "frais_a_charge": "Gratuit",
                "modalites_acces": "Se présenter|Envoyer un mail avec une fiche de prescription",
            }
        )
    return buffer.getvalue().encode("utf-8")


def timed(function, repeat=1):
    durations = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    return result, statistics.median(durations)


def test_mediation_sites_at_national_scale(live_server):
    figures = {}
    data = national_csv(SITES)

    report, figures["CSV import, 20,000 rows (s)"] = timed(
        lambda: importexport.import_sites(importexport.read_csv(data), dry_run=False)
    )
    assert report.created == SITES and report.rejected == 0
    # Printed at once: the figure survives a failure of the browser part below.
    print(f"\n  CSV import, 20,000 rows (s): {figures['CSV import, 20,000 rows (s)']:.3f}")
    assert figures["CSV import, 20,000 rows (s)"] < 30  # the target on these 2 cores
    MediationSite.objects.update(is_published=True)

    text, figures["CSV export, 20,000 rows (s)"] = timed(importexport.export_csv)
    assert text.count("\n") == SITES + 1

    client = Client()
    url = reverse("mediation_sites_geojson")
    cache.clear()
    response, cold = timed(lambda: client.get(url))
    figures["GeoJSON cold (ms)"] = cold * 1000
    _, warm = timed(lambda: client.get(url), repeat=20)
    figures["GeoJSON warm, median of 20 (ms)"] = warm * 1000
    figures["GeoJSON size (kB)"] = len(response.content) / 1024
    etag = response["ETag"]
    _, not_modified = timed(lambda: client.get(url, HTTP_IF_NONE_MATCH=etag), repeat=20)
    figures["GeoJSON conditional 304, median (ms)"] = not_modified * 1000

    home, _index = make_site_tree()
    page_url = live_server.url + MapPageFactory(parent=home, default_zoom=6).url
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*.png", lambda route: route.abort())
        page.goto(page_url)
        page.wait_for_function("() => window.siteMap && window.siteMap.ready", timeout=60_000)
        assert page.evaluate("window.siteMap.count") == SITES, page.evaluate("window.siteMap.error")
        figures["Map: fetch + draw all clusters, 20,000 markers (s)"] = (
            page.evaluate("window.siteMap.drawMs") / 1000
        )
        figures["Map: clustering only, 20,000 markers (s)"] = (
            page.evaluate("window.siteMap.clusterMs") / 1000
        )
        browser.close()

    print("\nMediation sites benchmark (SQLite unless DATABASE_URL is set)")
    for label, value in figures.items():
        print(f"  {label:<55} {value:10.3f}")
