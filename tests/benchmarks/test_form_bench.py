"""The pledge wizard against a stock wagtail.contrib.forms form page, in the same run.

Run with `make bench`. Prints the median time of a wizard step GET and POST and of
the stock form page GET and valid POST, and their ratios, and fails when a wizard
step GET takes more than 1.2x the stock form GET or a step POST more than 1.2x the
stock form POST. Through the test client: tests/benchmarks/server_bench.py measures
the same under a real server.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CampaignPageFactory, FormPageFactory
from tests.forms.conftest import VALID_ANSWERS, Walk

ROUNDS = 60
pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]


def median_ms(action, rounds=ROUNDS):
    action()  # warm-up
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def queries(action):
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


@pytest.fixture
def stock_form_page(campaign_index):
    from tests.benchmarks.stockform.models import StockFormField, StockFormPage

    campaign = CampaignPageFactory(parent=campaign_index, slug="mon-ordi")
    page = StockFormPage(
        title="Formulaire Wagtail", slug="stock", to_address="", from_address="", subject=""
    )
    campaign.add_child(instance=page)
    fields = [
        ("Nom de l'organisation", "singleline"),
        ("Adresse électronique", "email"),
        ("Téléphone", "singleline"),
        ("Nombre d'ordinateurs", "number"),
    ]
    for order, (label, field_type) in enumerate(fields):
        StockFormField.objects.create(
            page=page, sort_order=order, label=label, field_type=field_type, required=True
        )
    return page


def test_wizard_step_against_stock_form(client, stock_form_page, settings):
    if "stockform" not in {app.split(".")[-1] for app in settings.INSTALLED_APPS}:
        pytest.skip("run with --ds=tests.benchmarks.settings (make bench)")
    settings.FORM_RATE_LIMIT = (10**9, 600)
    # Both forms sit at the same depth under a campaign page: routing costs the same.
    campaign = stock_form_page.get_parent()
    pledge_page = FormPageFactory(parent=campaign)
    walk = Walk(client, pledge_page)
    walk.fill(steps=("etape-1",))

    stock_data = {
        "nom_de_lorganisation": "Atlantique Logistique",
        "adresse_electronique": "a@example.org",
        "telephone": "0546123456",
        "nombre_dordinateurs": "25",
    }
    results = {
        "stock form GET": median_ms(lambda: client.get(stock_form_page.url)),
        "stock form POST": median_ms(lambda: client.post(stock_form_page.url, stock_data)),
        "wizard step GET": median_ms(lambda: walk.get("etape-2")),
        "wizard step POST": median_ms(lambda: walk.post("etape-2", VALID_ANSWERS["etape-2"])),
    }
    counts = {
        "stock form POST": queries(lambda: client.post(stock_form_page.url, stock_data)),
        "wizard step POST": queries(lambda: walk.post("etape-2", VALID_ANSWERS["etape-2"])),
    }
    assert walk.post("etape-2", VALID_ANSWERS["etape-2"]).status_code == 302  # the POSTs were valid

    database = connection.vendor
    print(f"\nForm benchmark ({database}, median of {ROUNDS}, Django test client):")
    for name, value in results.items():
        print(f"  {name:<18} {value:7.2f} ms")
    ratios = {
        "GET": results["wizard step GET"] / results["stock form GET"],
        "POST": results["wizard step POST"] / results["stock form POST"],
    }
    for method, ratio in ratios.items():
        print(f"  wizard step {method} / stock form {method} = {ratio:.2f}x (target <= 1.2x)")
    print(f"  queries: {counts}")
    assert ratios["GET"] <= 1.2, f"wizard step GET at {ratios['GET']:.2f}x the stock form GET"
    assert ratios["POST"] <= 1.2, f"wizard step POST at {ratios['POST']:.2f}x the stock form POST"
