"""The registry of form kinds: which record each kind of form produces.

A kind declares its record model, the core fields editors must or may place in
its steps, the prefix of its references and the function that turns answers
into a record. Kinds register themselves in ``FormsConfig.ready()``.
"""

import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CoreField:
    name: str
    required: bool = False  # must be placed on every form of this kind
    consent_text_field: str = ""  # model field that keeps the text the person agreed to
    # (common kwargs, FieldContext) -> form field, when the model field's own does not fit.
    form_field: Callable | None = None


@dataclass(frozen=True)
class AnswerRule:
    """A rule across several fields, checked on the step that holds them all.

    ``check(answers)`` returns None when the answers are fine, else the error
    message, shown next to ``error_field`` (or at the top of the step)."""

    fields: tuple[str, ...]
    check: Callable
    error_field: str | None = None
    creation_only: bool = False  # e.g. "the device is in stock": true only when recording


@dataclass(frozen=True)
class Prefill:
    """What a kind knows before a walk starts (see ``FormKind.prefill``): answers by
    technical name (JSON values: the session keeps them), where the person returns
    once the record is sent, and the confirmation shown there (``%(reference)s`` is
    the new record's reference, the others come from ``done_values``)."""

    initial: dict
    return_url: str = ""
    done_message: str = ""
    done_values: dict = field(default_factory=dict)


def at_least_one(*names, message):
    def check(answers):
        return None if any(answers.get(name) for name in names) else message

    return AnswerRule(fields=names, check=check)


@dataclass(frozen=True)
class FormKind:
    code: str
    label: str
    model: type
    reference_prefix: str
    core_fields: tuple[CoreField, ...]
    email_field: str = ""  # field holding the address the acknowledgement goes to
    # The acknowledgement repeats the answers (a donor's own answers); off when they
    # are a third person's details sent to an address nobody verified (prescriptions).
    acknowledge_answers: bool = True
    # The event a new record is (content.enums.NotificationEvent): who is told of it
    # follows its campaign's rules (forms/engine/recipients.py).
    notification_event: str = ""
    handled_by: Callable | None = None  # record -> sentence: who will handle it (thank-you page)
    # record -> the private link where the sender follows their record; shown on the
    # thank-you page to the session that submitted it only.
    follow_url: Callable | None = None
    # (request) -> Prefill or None: answers known before the walk starts (a handover
    # opened from its prescription) and where staff return after submitting.
    prefill: Callable | None = None
    after_create: Callable | None = None  # (record, by) -> effects of a new record elsewhere
    staff_only: bool = False  # filled by logged-in staff (e.g. handover sheets), not the public
    # Typed kinds need their required core fields; a generic kind takes any question.
    generic: bool = False
    purge: Callable | None = None  # (now) -> records deleted or anonymised after retention
    rules: tuple[AnswerRule, ...] = ()
    extra: dict = field(default_factory=dict)

    def core_field(self, name):
        return next((core for core in self.core_fields if core.name == name), None)

    def core_field_names(self):
        return [core.name for core in self.core_fields]

    def model_field(self, name):
        return self.model._meta.get_field(name)

    def core_field_label(self, name):
        return self.model_field(name).verbose_name

    def rule_problems(self, values, creating=True):
        """[(message, fields)] for the rules broken by ``values`` ({field name: value})."""
        problems = []
        for rule in self.rules:
            if rule.creation_only and not creating:
                continue
            message = rule.check(values)
            if message:
                fields = (rule.error_field,) if rule.error_field else rule.fields
                problems.append((str(message), tuple(fields)))
        return problems


_registry: dict[str, FormKind] = {}


# Kinds packaged on their own: forms/kinds/<kind>/ with models.py, admin.py... Their
# models load with the app's models, the kind with the app, the admin with the
# app's wagtail hooks: adding such a kind touches its package and its migration only.
KINDS_PACKAGE = "forms.kinds"


def kind_packages():
    """The dotted names of the kind packages (forms.kinds.generic...)."""
    package = import_module(KINDS_PACKAGE)
    return [f"{KINDS_PACKAGE}.{module.name}" for module in pkgutil.iter_modules(package.__path__)]


def import_from_kinds(module_name=None):
    """Import every kind (``module_name`` None), or ``<kind package>.<module_name>``
    of every kind package that has one."""
    for name in kind_packages():
        if module_name is None:
            import_module(name)
        elif find_spec(name).submodule_search_locations and find_spec(f"{name}.{module_name}"):
            import_module(f"{name}.{module_name}")


def register(kind):
    _registry[kind.code] = kind
    core_field_choices.cache_clear()
    return kind


def kind_for_model(model):
    return next((kind for kind in _registry.values() if kind.model is model), None)


def get_kind(code):
    try:
        return _registry[code]
    except KeyError:
        raise LookupError(_("Unknown form kind: %s") % code) from None


def all_kinds():
    return list(_registry.values())


def kind_choices():
    return [(kind.code, kind.label) for kind in _registry.values()]


@cache
def core_field_choices():
    """Every kind's core fields, grouped by kind, for the editor's chooser.

    The page editor shows only the group of the page's kind (forms/static/forms/js/
    form_editor.js); the publish checks refuse a field of another kind."""
    return [
        (
            kind.label,
            [
                (f"{kind.code}:{core.name}", str(kind.core_field_label(core.name)).capitalize())
                for core in kind.core_fields
            ],
        )
        for kind in _registry.values()
        if kind.core_fields
    ]


def purge_kinds(now=None):
    """What each kind of record purges after its own retention: {kind label: count}."""
    return {str(kind.label): kind.purge(now) for kind in all_kinds() if kind.purge}
