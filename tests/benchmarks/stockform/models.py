# Used only by the benchmarks (tests/benchmarks/settings.py).
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField


class StockFormField(AbstractFormField):
    page = ParentalKey("StockFormPage", related_name="form_fields", on_delete=models.CASCADE)


class StockFormPage(AbstractEmailForm):
    template = "stockform/form_page.html"
    landing_page_template = "stockform/form_page_landing.html"
