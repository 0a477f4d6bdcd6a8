from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import ModelChoiceField, Select
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from forms.access import (
    campaign_id_of,
    campaign_paths_of,
    can_see,
    is_coordinator,
    is_programme_wide,
    scoped_campaigns,
    scoped_choices,
    scoped_sites,
    site_field_of,
)
from forms.engine.campaign_questions import omitted_by_all, omitted_fields_for_id
from forms.engine.definition import FormDefinition, assign_names, field_names_by_block
from forms.engine.kinds import get_kind
from forms.engine.record_targets import get_target, mapping_problems, parse_mapping


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
        self.check_record_target(cleaned, steps)
        return cleaned

    def check_record_target(self, cleaned, steps):
        """The record answers become: free forms only, each line naming one of its
        fields and one question of this form."""
        target = get_target(cleaned.get("record_target") or "")
        mapping_text = cleaned.get("record_mapping") or ""
        if target is None:
            if mapping_text.strip():
                self.add_error("record_mapping", _("Choose first what the answers become."))
            return
        try:
            kind = get_kind(cleaned.get("kind"))
        except LookupError:
            return
        if not kind.generic:
            self.add_error(
                "record_target", _("Only the answers of a free form can become another record.")
            )
            return
        try:
            mapping = parse_mapping(mapping_text)
        except ValidationError as error:
            self.add_error("record_mapping", error)
            return
        names = {item.name for item in FormDefinition(steps, kind).input_fields()}
        problems = mapping_problems(target, mapping, names)
        if problems:
            self.add_error("record_mapping", ValidationError(problems))


class ScopedChoicesForm(WagtailAdminModelForm):
    """An admin form whose campaign and site choosers offer only what the person
    works in (forms.access), plus the record's current value; a campaign outside
    them is refused on save.

    On a new record, a chooser with a single choice (a coordinator's only
    campaign, a site staff's only site) starts on it, and the record is refused
    when the person would not see it once saved (forms.access.can_see): nobody
    creates what at once vanishes from their list and refuses to open.
    """

    INVALID_CHOICE = {
        "campaign": _("This campaign is not one of yours: choose one of the campaigns offered."),
        "site": _("This mediation site is not one of yours: choose one of the sites offered."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        creating = self.instance.pk is None
        for name, scoped in (("campaign", scoped_campaigns), ("site", scoped_sites)):
            field = self.fields.get(name)
            if field is None or not hasattr(field, "queryset"):
                continue
            model = field.queryset.model
            allowed = Q(pk__in=scoped(user, model.objects.all()).values("pk"))
            current = getattr(self.instance, f"{name}_id", None)
            if current is not None:
                allowed |= Q(pk=current)
            if name == "campaign":  # a short list: a select, not the page tree's chooser
                field.widget = Select()
                # Only superusers leave a record without campaign (nobody else would see it).
                if not is_programme_wide(user) and (current is not None or is_coordinator(user)):
                    field.required = True
            field.queryset = field.queryset.filter(allowed)
            field.error_messages["invalid_choice"] = self.INVALID_CHOICE[name]
            if (
                creating
                and current is None
                and not field.disabled
                and self.initial.get(name) is None
            ):
                only = list(field.queryset.values_list("pk", flat=True)[:2])
                if len(only) == 1:
                    self.initial[name] = only[0]
        self._scope_other_choosers(user)
        self._drop_unasked_questions()

    def _drop_unasked_questions(self):
        """A record's programme-specific questions (APTIC cheques, ceremony, income
        criterion) are left out of its form when its campaign does not ask them: hidden,
        and kept as stored. A new record's form leaves out those that none of the
        campaigns offered in its chooser asks."""
        record = self.instance
        if record is None:
            return
        if record.pk is not None:
            omitted = omitted_fields_for_id(campaign_id_of(record))
        else:
            field = self.fields.get("campaign")
            if field is None or not hasattr(field, "queryset"):
                return
            omitted = omitted_by_all(field.queryset.values("pk"))
        for name in omitted:
            self.fields.pop(name, None)

    def _scope_other_choosers(self, user):
        """Every other chooser (priority criterion, pledge, device, organisation…) offers
        the rows the person may pick (forms.access.scoped_choices), plus the current one."""
        for name, field in self.fields.items():
            if name in ("campaign", "site") or not isinstance(field, ModelChoiceField):
                continue
            queryset = field.queryset
            every = queryset.model._default_manager.all()
            scoped = scoped_choices(user, every)
            if scoped is every:
                continue  # not a programme's rows (or a superuser): left as it is
            allowed = Q(pk__in=scoped.values("pk"))
            current = getattr(self.instance, f"{name}_id", None)
            if current is not None:
                allowed |= Q(pk=current)
            field.queryset = queryset.filter(allowed)

    def _post_clean(self):
        super()._post_clean()
        user = self.for_user
        if user is None or self.instance.pk is not None or self.errors:
            return
        model = type(self.instance)
        if not (campaign_paths_of(model) or site_field_of(model)):
            return  # not a programme's record (shared directories): model permissions decide
        if not can_see(user, self.instance):
            field = next((name for name in ("campaign", "site") if name in self.fields), None)
            self.add_error(
                field,
                _(
                    "Once saved, you would no longer see this record: choose one of your "
                    "campaigns (or one of your mediation sites)."
                ),
            )
