from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from forms.definition import FormDefinition, assign_names, field_names_by_block
from forms.kinds import get_kind


class FormPageAdminForm(WagtailAdminPageForm):
    """Names new fields on every save; refuses to publish a form that cannot work."""

    def clean(self):
        cleaned = super().clean()
        steps = cleaned.get("steps")
        if steps is None:
            return cleaned
        # The database row holds the published version: its names are frozen.
        live = type(self.instance).objects.filter(pk=self.instance.pk, live=True).first()
        assign_names(steps, field_names_by_block(live.steps) if live else {})
        if not self.is_deferred_validation:  # publishing (saving a draft may stay incomplete)
            kind_code = cleaned.get("kind")
            try:
                kind = get_kind(kind_code)
            except LookupError:
                return cleaned
            problems = FormDefinition(steps, kind).problems()
            if problems:
                # Non-field errors are listed in the admin's error banner, one per line.
                self.add_error(None, ValidationError(problems))
        return cleaned


class RecordAdminForm(WagtailAdminModelForm):
    """Edits a record's columns and, one field each, its extra answers."""

    PREFIX = "extra__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_answer_fields = []
        answers = (self.instance.extra_answers or {}) if self.instance else {}
        for key, item in answers.items():
            name = f"{self.PREFIX}{key}"
            display = item.get("display", "") if isinstance(item, dict) else str(item)
            label = item.get("label", key) if isinstance(item, dict) else key
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                initial=display,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.extra_answer_fields.append(name)
        if "site" in self.fields:  # staff move records only between their own sites
            from content.models import MediationSite
            from forms.access import scoped_sites

            self.fields["site"].queryset = scoped_sites(self.for_user, MediationSite.objects.all())

    def save(self, commit=True):
        answers = dict(self.instance.extra_answers or {})
        for name in self.extra_answer_fields:
            key = name.removeprefix(self.PREFIX)
            item = dict(answers.get(key) or {})
            text = self.cleaned_data.get(name, "")
            if text != item.get("display", ""):
                item.update(value=text, display=text)
            answers[key] = item
        self.instance.extra_answers = answers
        return super().save(commit=commit)


class HandoverSheetAdminForm(RecordAdminForm):
    """Staff pick among their sites' prescriptions; saving a new sheet applies its
    effects (the prescription becomes "equipped")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from forms.access import scoped_queryset
        from forms.models import Prescription

        user = self.for_user
        if "prescription" in self.fields:
            self.fields["prescription"].queryset = scoped_queryset(user, Prescription.objects.all())

    def save(self, commit=True):
        from forms.models import ReferenceCounter

        creating = self.instance.pk is None
        if creating:
            self.instance.reference = ReferenceCounter.next_reference("REM")
            self.instance.no_resale_text = str(self.fields["no_resale_accepted"].label)
        sheet = super().save(commit=commit)
        if creating and commit:
            sheet.log_creation()
            sheet.apply_effects(by=self.for_user)
        return sheet
