"""Bounds a person understands, on every input.

- Numbers: 0 to ``QUANTITY_DEFAULT_MAX`` unless the form's editor lowers it;
  an editor's bound never goes past the model field's own ceiling (its
  ``MaxValueValidator``) or ``NUMBER_CEILING`` (well inside PostgreSQL's
  integer), so no value the database cannot store reaches it.
- Dates: within a window around today, per field (``DATE_WINDOWS``, in days
  before and after today), ``DEFAULT_DATE_WINDOW`` otherwise.
- Text: a length per kind of field (``TEXT_MAX_LENGTHS``).

Used by the public forms (forms/fields.py), the admin (form-field overrides
registered in portal/wagtail_hooks.py) and the CSV imports.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

QUANTITY_DEFAULT_MAX = 10_000
NUMBER_CEILING = 1_000_000
DB_INTEGER_MAX = 2_147_483_647  # PostgreSQL's integer

TEXT_MAX_LENGTHS = {"short_text": 255, "long_text": 5_000, "notes": 10_000}

YEAR = 366
DEFAULT_DATE_WINDOW = (100 * YEAR, 10 * YEAR)
DATE_WINDOWS = {
    # field name: (days before today, days after today)
    "handover_date": (2 * YEAR, 31),
    "loan_end_date": (YEAR, 5 * YEAR),
    "loan_return_date": (5 * YEAR, 5 * YEAR),
    "erasure_date": (10 * YEAR, 1),
    "received_on": (10 * YEAR, YEAR),
    "agreement_date": (30 * YEAR, 5 * YEAR),
    "date_maj": (30 * YEAR, 1),
    "pickup_date": (31, 2 * YEAR),
    "birth_date": (120 * YEAR, 0),
}


def date_window(field_name):
    return DATE_WINDOWS.get(field_name, DEFAULT_DATE_WINDOW)


@deconstructible
class DateWindowValidator:
    """The date lies between ``past_days`` before today and ``future_days`` after."""

    def __init__(self, past_days=DEFAULT_DATE_WINDOW[0], future_days=DEFAULT_DATE_WINDOW[1]):
        self.past_days = past_days
        self.future_days = future_days

    @classmethod
    def for_field(cls, field_name):
        return cls(*date_window(field_name))

    def bounds(self):
        today = timezone.localdate()
        return (
            today - datetime.timedelta(days=self.past_days),
            today + datetime.timedelta(days=self.future_days),
        )

    def __call__(self, value):
        if not isinstance(value, datetime.date):
            return
        if isinstance(value, datetime.datetime):
            value = value.date()
        start, end = self.bounds()
        if not start <= value <= end:
            raise ValidationError(
                _("Enter a date between %(start)s and %(end)s."),
                code="date_window",
                params={
                    "start": date_format(start, "SHORT_DATE_FORMAT"),
                    "end": date_format(end, "SHORT_DATE_FORMAT"),
                },
            )

    def __eq__(self, other):
        return isinstance(other, DateWindowValidator) and (self.past_days, self.future_days) == (
            other.past_days,
            other.future_days,
        )


def model_limit(model_field, kind):
    """The model field's own min or max (from its Min/MaxValueValidators), or None."""
    limits = [
        validator.limit_value
        for validator in model_field.validators
        if type(validator).__name__ == f"{kind}ValueValidator"
        and not callable(validator.limit_value)
    ]
    if not limits:
        return None
    return max(limits) if kind == "Min" else min(limits)


def number_bounds(editor_min=None, editor_max=None, floor=None, ceiling=None):
    """(min, max) for a number: the editor's bounds inside the hard ones."""
    floor = 0 if floor is None else max(floor, -NUMBER_CEILING)
    ceiling = NUMBER_CEILING if ceiling is None else min(ceiling, NUMBER_CEILING)
    low = floor if editor_min is None else min(max(editor_min, floor), ceiling)
    high = QUANTITY_DEFAULT_MAX if editor_max is None else editor_max
    high = max(min(high, ceiling), low)
    return low, high


def register_admin_bounds():
    """Every Wagtail admin form: free text at most TEXT_MAX_LENGTHS["notes"] characters,
    dates within their field's window (called once, from PortalConfig.ready).

    Wagtail's admin modules are imported here, not at the top: this module is imported
    by models, before the app registry is ready."""
    from django.db import models
    from wagtail.admin import widgets
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.models import Page

    TolerantPageChooser = _tolerant_page_chooser()  # noqa: N806 - a class
    TolerantModelChoiceField = _tolerant_model_choice_field()  # noqa: N806 - a class

    register_form_field_override(
        models.TextField,
        override={
            "widget": widgets.AdminAutoHeightTextInput,
            "max_length": TEXT_MAX_LENGTHS["notes"],
        },
        exact_class=True,
    )
    register_form_field_override(
        models.DateField,
        override=lambda db_field: {
            "widget": widgets.AdminDateInput,
            "validators": [DateWindowValidator.for_field(db_field.name)],
        },
        exact_class=True,
    )
    # A page chooser sent garbage (not an id) re-renders empty with its error, instead
    # of a server error while looking the garbage up (found by tests/forms/test_properties.py).
    register_form_field_override(
        models.ForeignKey,
        to=Page,
        override=lambda db_field: {
            "widget": TolerantPageChooser(target_models=[db_field.remote_field.model]),
            "form_class": TolerantModelChoiceField,
        },
    )
    # Any other foreign key: an id too large for the database is an invalid choice.
    register_form_field_override(
        models.ForeignKey, to=models.Model, override={"form_class": TolerantModelChoiceField}
    )


def _tolerant_model_choice_field():
    from django import forms  # beside the class it defines: see register_admin_bounds

    class TolerantModelChoiceField(forms.ModelChoiceField):
        """SQLite raises OverflowError for an id past 64 bits, which Django lets through."""

        def to_python(self, value):
            try:
                return super().to_python(value)
            except OverflowError:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                ) from None

    return TolerantModelChoiceField


def _tolerant_page_chooser():
    from wagtail.admin.widgets import AdminPageChooser  # see register_admin_bounds

    class TolerantPageChooser(AdminPageChooser):
        def get_instance(self, value):
            try:
                return super().get_instance(value)
            except (TypeError, ValueError, OverflowError, ValidationError):
                return None

    return TolerantPageChooser
