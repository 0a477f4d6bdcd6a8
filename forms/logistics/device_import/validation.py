"""The model's own validation of an imported device, without a ``full_clean`` per row.

``full_clean`` runs every field's ``clean`` (to_python, choices, blank, validators)
then ``Model.clean``. The widgets already give most cells the field's own type, so
for each field a quick test tells a value that ``clean`` would accept unchanged (a
text of the right length, a whole number within the field's bounds, one of the
choices…); only a value that fails it goes through the field's ``clean``, which
gives the same French message as ``full_clean`` would. ``Model.clean`` (the
checks across fields) is run for every row.
"""

import datetime

from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.db import models

# Validators the quick tests below account for; a field with any other one always
# goes through its ``clean``.
KNOWN_VALIDATORS = (
    django_validators.MaxLengthValidator,
    django_validators.MinValueValidator,
    django_validators.MaxValueValidator,
)


def _never(value):
    return False


def quick_test(field):
    """A function telling, cheaply, that ``field.clean(value)`` would return ``value``
    unchanged and raise nothing; False means "ask ``field.clean``"."""
    validators = list(field.validators)
    if any(type(v) not in KNOWN_VALIDATORS or callable(v.limit_value) for v in validators):
        return _never
    if isinstance(field, models.CharField | models.TextField):
        longest = field.max_length
        choices = {str(key) for key, _label in field.flatchoices} if field.choices else None
        blank = field.blank

        def text(value):
            return (
                isinstance(value, str)  # str or a TextChoices member: to_python keeps it
                and (longest is None or len(value) <= longest)
                and (blank or value != "")
                and (choices is None or value in choices or (blank and value == ""))
            )

        return text
    if isinstance(field, models.BooleanField):
        return lambda value: type(value) is bool
    if isinstance(field, models.IntegerField) and not field.choices:
        low = max(
            (
                v.limit_value
                for v in validators
                if isinstance(v, django_validators.MinValueValidator)
            ),
            default=None,
        )
        high = min(
            (
                v.limit_value
                for v in validators
                if isinstance(v, django_validators.MaxValueValidator)
            ),
            default=None,
        )

        def number(value):
            return (
                type(value) is int
                and (low is None or value >= low)
                and (high is None or value <= high)
            )

        return number
    if validators or field.choices:
        return _never
    if isinstance(field, models.DateTimeField):
        return lambda value: type(value) is datetime.datetime and value.tzinfo is not None
    if isinstance(field, models.DateField):
        return lambda value: type(value) is datetime.date
    return _never


class ModelChecks:
    """``full_clean(exclude=..., validate_unique=False)`` of a model, field by field,
    for the fields given (the others are excluded, as ``full_clean``'s ``exclude``)."""

    def __init__(self, model, field_names):
        if model._meta.constraints:
            raise NotImplementedError("constraints are not checked here")
        self.fields = [
            (field, quick_test(field))
            for field in model._meta.concrete_fields
            if field.name in field_names
        ]

    def validate(self, instance, errors):
        """Add the model's errors on ``instance`` to ``errors`` ({field: [messages]}),
        skipping the fields already in error, as ``full_clean`` does with ``exclude``."""
        excluded = set(errors)
        for field, quick in self.fields:
            if field.name in excluded:
                continue
            value = getattr(instance, field.attname)
            if field.blank and value in field.empty_values:
                continue
            if quick(value):
                continue
            try:
                setattr(instance, field.attname, field.clean(value, instance))
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.messages)
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in ValidationError(error.update_error_dict({})).message_dict.items():
                errors.setdefault(name, []).extend(messages)
        return errors
