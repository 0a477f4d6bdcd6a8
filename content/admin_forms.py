"""Admin form widgets for the standard's multi-value columns."""

from django import forms

from content import standards


class MultiValueCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes editing one `|`-separated column of the standard."""

    def __init__(self, column, attrs=None):
        super().__init__(attrs=attrs, choices=standards.choices(column))
        self.column = column

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return standards.split_values(value)

    def value_from_datadict(self, data, files, name):
        return standards.join_values(data.getlist(name)) if hasattr(data, "getlist") else ""

    def value_omitted_from_data(self, data, files, name):
        return False
