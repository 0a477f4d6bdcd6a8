from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from forms.engine.definition import FormDefinition, assign_names, field_names_by_block
from forms.engine.kinds import get_kind


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
