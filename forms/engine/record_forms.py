"""The admin form of every record: its columns, its typed extra answers, one creation path."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from forms.engine.admin_forms import ScopedChoicesForm
from forms.engine.fields import (
    LONG_TEXT_MAX_LENGTH,
    FieldContext,
    YesNoField,
    build_form_field,
    display_value,
    to_json,
)
from forms.engine.kinds import kind_for_model
from forms.engine.submission import create_record, record_problems


def initial_value(field, stored):
    """A stored (JSON) answer as the value its form field compares edits with."""
    if isinstance(field, YesNoField):
        return field.prepare_value(stored)
    if isinstance(field, forms.DateField) and stored:
        try:
            return field.to_python(stored)
        except forms.ValidationError:
            return stored
    return stored


class RecordAdminForm(ScopedChoicesForm):
    """Edits a record's columns and, one typed field each, its extra answers.

    Extra answers are edited with the field the form page defines for them (a
    choice stays a choice, a date a date); answers whose question was removed
    from the form since stay readable and editable as text. New records go
    through their kind's creation service; every edit is logged (who, when, which
    fields), without the values.
    """

    PREFIX = "extra__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind_for_model(self._meta.model)
        self.extra_answer_fields = []
        self._extra_definitions = {}
        answers = (self.instance.extra_answers or {}) if self.instance else {}
        definitions = self._question_definitions()
        for item in definitions:
            self._add_extra_field(item.name, item=item, stored=answers.get(item.name))
        for key, stored in answers.items():
            if key not in self._extra_definitions:
                self._add_extra_field(key, item=None, stored=stored)

    # Extra answers -------------------------------------------------------
    def _question_definitions(self):
        page = self.instance.form_page if self.instance else None
        if page is None:
            return []
        unique = {}
        for item in page.specific.definition.extra_fields():
            if item.name:
                unique.setdefault(item.name, item)
        return list(unique.values())

    def _add_extra_field(self, key, item, stored):
        stored = stored if isinstance(stored, dict) else {"label": key, "display": stored or ""}
        name = f"{self.PREFIX}{key}"
        if item is not None:
            context = FieldContext(user=self.for_user, page=self.instance.form_page)
            field = build_form_field(item, self.kind, context)
            field.required = False
            field.label = item.label or stored.get("label", key)
            field.initial = initial_value(field, stored.get("value")) if stored else None
        else:
            field = forms.CharField(
                label=stored.get("label", key),
                required=False,
                max_length=LONG_TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("This question is no longer in the form; its answer is kept."),
                initial=stored.get("display", ""),
            )
        self.fields[name] = field
        self.extra_answer_fields.append(name)
        self._extra_definitions[key] = item

    def extra_answers_from_form(self):
        """The record's extra answers with the edited values (labels kept as answered)."""
        answers = dict(self.instance.extra_answers or {})
        for name in self.extra_answer_fields:
            if name not in self.changed_data:
                continue
            key = name.removeprefix(self.PREFIX)
            item = self._extra_definitions[key]
            previous = answers.get(key) if isinstance(answers.get(key), dict) else {}
            value = self.cleaned_data.get(name)
            label = previous.get("label") or (item.label if item else key)
            if item is None:
                answers[key] = {"label": label, "value": value or "", "display": value or ""}
            else:
                answers[key] = {
                    "label": label,
                    "value": to_json(value),
                    "display": display_value(self.fields[name], value),
                }
        return answers

    def changed_labels(self):
        return [str(self.fields[name].label) for name in self.changed_data if name in self.fields]

    # Validation and saving -------------------------------------------------
    def _post_clean(self):
        super()._post_clean()
        if self.kind is None:
            return
        self.instance.extra_answers = self.extra_answers_from_form()
        self._record_consent_texts()
        creating = self.instance.pk is None
        for message, fields in record_problems(self.kind, self.instance, creating=creating):
            shown = [name for name in fields if name in self.fields and name not in self.errors]
            if shown:
                for name in shown:
                    self.add_error(name, message)
            elif not any(name in self.errors for name in fields):
                self.add_error(None, message)

    def _record_consent_texts(self):
        """A consent ticked in the admin keeps the text shown next to its box."""
        for core in self.kind.core_fields if self.kind else ():
            text_field = core.consent_text_field
            if (
                text_field
                and core.name in self.fields
                and getattr(self.instance, core.name)
                and not getattr(self.instance, text_field)
            ):
                setattr(self.instance, text_field, str(self.fields[core.name].label))

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        if self.instance.pk is None:
            record = create_record(super().save(commit=False), by=self.for_user, kind=self.kind)
            self.save_m2m()
            return record
        with transaction.atomic():
            record = super().save(commit=True)
            labels = self.changed_labels()
            if labels:
                record.log_change(
                    by=self.for_user,
                    note=_("Edited: %(fields)s") % {"fields": ", ".join(labels)},
                )
        return record
