"""Spreadsheet exports that cannot run formulas in the reader's spreadsheet (CSV injection)."""

from import_export import resources

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Prefix text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeExportResource(resources.ModelResource):
    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return [escape_formula(value) for value in row]
