"""Control characters never get stored.

A control character (U+0001, NUL…) typed in a form, pasted in the admin or
carried by an imported file is invisible to people but breaks the exports
(XLSX cannot hold it) and some databases (PostgreSQL refuses NUL). They are
stripped from every text the ``content`` and ``forms`` apps save (forms, admin,
imports that save row by row), from every imported cell (``normalise_text``)
and, as a last resort, from every exported cell (``portal.exports``).
Tabs and line breaks are kept.
"""

import re

from django.db import models

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
SANITISED_APPS = {"content", "forms"}


def strip_control_characters(value):
    """``value`` without control characters (text, or lists and dicts of text)."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(strip_control_characters(item) for item in value)
    if isinstance(value, dict):
        return {
            strip_control_characters(key): strip_control_characters(item)
            for key, item in value.items()
        }
    return value


def _text_fields(model):
    cached = model.__dict__.get("_sanitised_fields")
    if cached is None:
        cached = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        model._sanitised_fields = cached
    return cached


def sanitise_instance(sender, instance, raw=False, **kwargs):
    """pre_save: strip control characters from every text field of our apps' models."""
    if raw or sender._meta.app_label not in SANITISED_APPS:
        return
    for attname in _text_fields(sender):
        value = instance.__dict__.get(attname)
        if value is not None:
            cleaned = strip_control_characters(value)
            if cleaned != value:
                setattr(instance, attname, cleaned)
