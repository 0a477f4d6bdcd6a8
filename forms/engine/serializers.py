"""The public JSON form of a form definition (read API): no technical internals."""

from forms.engine.definition import INFORMATION
from forms.engine.fields import YES_NO_CHOICES, build_form_field, field_type_of


def _field_json(item, kind):
    data = {
        "name": item.name,
        "type": item.type,
        "label": item.label,
        "help_text": item.help_text,
        "required": item.required,
        "core": False,
        "condition": {"field": item.condition.field, "value": item.condition.value}
        if item.condition
        else None,
    }
    if item.type == INFORMATION:
        data.update(
            name=None, label=None, required=False, text=item.text.source if item.text else ""
        )
        return data
    if item.core and kind and kind.core_field(item.name):
        field = build_form_field(item, kind)
        data["type"] = field_type_of(field)
        data["core"] = True
        data["required"] = field.required
        choices = getattr(field, "choices", None)
        if choices and data["type"] != "mediation_site":
            data["choices"] = [
                {"value": value, "label": str(label)} for value, label in choices if value != ""
            ]
        if item.consent_text:
            data["text"] = item.consent_text
        return data
    if item.choices:
        data["choices"] = [{"value": choice, "label": choice} for choice in item.choices]
    if item.type == "yes_no":
        data["choices"] = [{"value": value, "label": str(label)} for value, label in YES_NO_CHOICES]
    if item.type == "number":
        data.update(min_value=item.min_value, max_value=item.max_value)
    if item.type == "consent":
        data["text"] = item.consent_text
    return data


def definition_as_json(definition):
    return [
        {
            "slug": step.slug,
            "title": step.title,
            "intro": step.intro,
            "condition": {"field": step.condition.field, "value": step.condition.value}
            if step.condition
            else None,
            "fields": [_field_json(item, definition.kind) for item in step.fields],
        }
        for step in definition.steps
    ]
