"""Django form fields for the fields editors place in a form's steps."""

import datetime
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import MediationSite
from forms.access import scoped_sites
from forms.engine.definition import FieldDef
from forms.enums import FieldType
from portal.bounds import (
    DB_INTEGER_MAX,
    NUMBER_CEILING,
    TEXT_MAX_LENGTHS,
    DateWindowValidator,
    model_limit,
    number_bounds,
)
from portal.validators import (
    normalise_phone,
    normalise_siret,
    validate_french_phone,
    validate_postcode,
    validate_siret,
)

YES_NO_CHOICES = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
TEXT_MAX_LENGTH = 255
MAX_RADIO_CHOICES = 8
LONG_TEXT_MAX_LENGTH = 5000
OUTSIDE_TERRITORY = gettext_lazy(
    "This site is not among the sites of this campaign's territory: choose one in the list."
)


class FrenchDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class YesNoField(forms.TypedChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", YES_NO_CHOICES)
        super().__init__(coerce=lambda value: value == "yes", empty_value=None, **kwargs)

    def prepare_value(self, value):
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value


class SiretField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=20, validators=[validate_siret], **kwargs)

    def to_python(self, value):
        return normalise_siret(super().to_python(value))


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=20, validators=[validate_french_phone], **kwargs)
        self.widget.input_type = "tel"

    def to_python(self, value):
        return normalise_phone(super().to_python(value))


class PostcodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=10, validators=[validate_postcode], **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace(" ", "")


@dataclass
class FieldContext:
    """What a field may depend on: the answers of earlier steps, who is filling the form."""

    answers: dict = dc_field(default_factory=dict)
    user: object = None
    page: object = None


class MediationSiteField(forms.ModelChoiceField):
    """Published sites, those accepting prescriptions first, nearest first when a
    postcode was given in an earlier step; a search box filters them (wizard.js)."""

    widget = forms.RadioSelect

    def __init__(self, postcode="", queryset=None, **kwargs):
        if queryset is None:
            queryset = MediationSite.objects.published()
        queryset = queryset.chooser_order(postcode).only(
            "pk", "nom", "commune", "code_postal", "accepts_prescriptions"
        )
        super().__init__(queryset=queryset, empty_label=None, **kwargs)
        self.widget.attrs["data-site-chooser"] = "1"

    def label_from_instance(self, obj):
        return f"{obj.nom} – {obj.code_postal} {obj.commune}"


class TerritorySiteField(MediationSiteField):
    """A public site outside the campaign's territory (or out of the programme) is
    refused with its own message; an unknown or hidden one with the usual message."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid_choice" and self._is_public_site(value):
                raise ValidationError(OUTSIDE_TERRITORY, code="outside_territory") from error
            raise

    @staticmethod
    def _is_public_site(value):
        value = str(value).strip()
        if not value.isdigit() or len(value) > 18:
            return False
        return MediationSite.objects.published().filter(pk=value).exists()


def site_field_for_public(common, context):
    """The sites of the campaign's territory still in the programme, published;
    nearest first when the person's postcode was given in an earlier step."""
    campaign = context.page.campaign if context.page is not None else None
    postcode = next(
        (
            str(value)
            for name, value in context.answers.items()
            if name.endswith("postcode") and value
        ),
        "",
    )
    return TerritorySiteField(
        postcode=postcode,
        queryset=MediationSite.objects.published().for_campaign(campaign),
        **common,
    )


def site_field_for_staff(common, context):
    """Staff choose among their own sites (coordinators among all)."""
    return MediationSiteField(
        queryset=scoped_sites(context.user, MediationSite.objects.all()), **common
    )


def _extra_field(item: FieldDef, context):
    common = {"label": item.label, "help_text": item.help_text, "required": item.required}
    match item.type:
        case FieldType.SHORT_TEXT:
            return forms.CharField(max_length=TEXT_MAX_LENGTH, **common)
        case FieldType.LONG_TEXT:
            return forms.CharField(
                max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}), **common
            )
        case FieldType.EMAIL:
            return forms.EmailField(**common)
        case FieldType.PHONE:
            return PhoneField(**common)
        case FieldType.NUMBER:
            floor = -NUMBER_CEILING if (item.min_value or 0) < 0 else 0
            low, high = number_bounds(item.min_value, item.max_value, floor=floor)
            return forms.IntegerField(min_value=low, max_value=high, **common)
        case FieldType.DATE:
            return bounded_date_field(item.name, common)
        case FieldType.SINGLE_CHOICE:
            choices = [(choice, choice) for choice in item.choices]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        case FieldType.MULTIPLE_CHOICE:
            choices = [(choice, choice) for choice in item.choices]
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case FieldType.YES_NO:
            return YesNoField(**common)
        case FieldType.CONSENT:
            return forms.BooleanField(label=item.consent_text or item.label, required=True)
        case FieldType.POSTCODE:
            return PostcodeField(**common)
        case FieldType.SIRET:
            return SiretField(**common)
        case FieldType.MEDIATION_SITE:
            return site_field_for_public(common, context)
    raise ValueError(f"Unknown field type {item.type}")


def _core_field(item: FieldDef, kind, context):
    core = kind.core_field(item.name)
    model_field = kind.model_field(item.name)
    required = item.required or not (model_field.blank or model_field.has_default())
    common = {"label": item.label, "help_text": item.help_text, "required": required}
    if core.form_field:
        return core.form_field(common, context)
    if core.consent_text_field:
        return forms.BooleanField(label=item.consent_text or item.label, required=True)
    if isinstance(model_field, models.BooleanField):
        return YesNoField(**{**common, "required": True})
    if model_field.choices:
        choices = list(model_field.choices)
        # Radio buttons for short lists; a drop-down list for long ones (e.g. structure types).
        if len(choices) > MAX_RADIO_CHOICES:
            return forms.ChoiceField(choices=[("", _("Choose…")), *choices], **common)
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if model_field.name == "siret" or "validate_siret" in _validator_names(model_field):
        return SiretField(**common)
    if "validate_french_phone" in _validator_names(model_field):
        return PhoneField(**common)
    if "validate_postcode" in _validator_names(model_field):
        return PostcodeField(**common)
    if isinstance(model_field, models.IntegerField):
        # Bounded by the editor, inside the model's own ceiling.
        low, high = number_bounds(
            item.min_value,
            item.max_value,
            floor=model_limit(model_field, "Min") or 0,
            ceiling=model_limit(model_field, "Max") or DB_INTEGER_MAX,
        )
        return model_field.formfield(min_value=low, max_value=high, **common)
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        return bounded_date_field(model_field.name, common)
    if isinstance(model_field, models.TextField):
        limit = model_field.max_length or TEXT_MAX_LENGTHS["long_text"]
        return model_field.formfield(
            max_length=limit, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    return model_field.formfield(**common)


def bounded_date_field(name, common):
    """A date within the field's window around today (portal.bounds.DATE_WINDOWS)."""
    validator = DateWindowValidator.for_field(name)
    start, end = validator.bounds()
    widget = FrenchDateInput(attrs={"min": start.isoformat(), "max": end.isoformat()})
    return forms.DateField(widget=widget, validators=[validator], **common)


def _validator_names(model_field):
    return {getattr(validator, "__name__", "") for validator in model_field.validators}


def build_form_field(item: FieldDef, kind, context=None):
    context = context or FieldContext()
    field = _core_field(item, kind, context) if item.core else _extra_field(item, context)
    if item.placeholder and isinstance(
        field.widget, forms.TextInput | forms.Textarea | forms.EmailInput
    ):
        field.widget.attrs["placeholder"] = item.placeholder
    if item.default not in (None, ""):
        field.initial = item.default
    return field


# Answers ---------------------------------------------------------------
def to_json(value):
    """A cleaned value as something JSON (and the session) can store."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def display_value(field, value):
    """An answer as the person would read it back."""
    if value in (None, "", []):
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    choices = dict(getattr(field, "choices", ()) or ())
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if choices and not isinstance(field, forms.ModelChoiceField):
        return str(choices.get(value, value))
    return str(value)


def field_type_of(field):
    """The editor-facing field type a Django form field corresponds to."""
    checks = [
        (SiretField, FieldType.SIRET),
        (PhoneField, FieldType.PHONE),
        (PostcodeField, FieldType.POSTCODE),
        (YesNoField, FieldType.YES_NO),
        (forms.ModelChoiceField, FieldType.MEDIATION_SITE),
        (forms.MultipleChoiceField, FieldType.MULTIPLE_CHOICE),
        (forms.ChoiceField, FieldType.SINGLE_CHOICE),
        (forms.BooleanField, FieldType.CONSENT),
        (forms.EmailField, FieldType.EMAIL),
        (forms.IntegerField, FieldType.NUMBER),
        (forms.DateField, FieldType.DATE),
    ]
    for field_class, name in checks:
        if isinstance(field, field_class):
            return name
    return FieldType.LONG_TEXT if isinstance(field.widget, forms.Textarea) else FieldType.SHORT_TEXT
