from django import template

register = template.Library()


@register.simple_tag
def field_widget(field):
    """Render a field's input with its help text and error tied to it for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
