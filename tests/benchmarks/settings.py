"""Benchmark settings: the test settings plus a stock Wagtail form page to compare with."""

from portal.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.benchmarks.stockform"]  # noqa: F405
