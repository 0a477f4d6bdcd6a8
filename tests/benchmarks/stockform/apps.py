from django.apps import AppConfig


class StockFormConfig(AppConfig):
    """A stock wagtail.contrib.forms form page, the baseline of the form benchmark."""

    name = "tests.benchmarks.stockform"
    label = "stockform"
