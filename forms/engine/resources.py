"""The export base of every record: French headers, choices as displayed, numbers and
dates as values (portal.exports writes them as French spreadsheets read them), extra
answers; formula-like cells neutralised by portal.exports."""

import datetime

from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from import_export import fields

from portal.exports import SafeExportResource


class RecordResource(SafeExportResource):
    """Export of records: every column with its French header, plus the extra answers."""

    campaign = fields.Field(attribute="campaign__title", column_name=str(_("campaign")))
    status = fields.Field(attribute="get_status_display", column_name=str(_("status")))
    extra_answers = fields.Field(column_name=str(_("other answers")))

    def dehydrate_extra_answers(self, record):
        return "\n".join(f"{label} : {value}" for label, value in record.extra_answer_items())

    def export_field(self, field, instance, **kwargs):
        model_field = self._model_field(field.attribute)
        value = getattr(instance, field.attribute, None) if model_field else None
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value or ""))
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, datetime.datetime):
            return localtime(value)  # a date and time cell (XLSX), DD/MM/YYYY HH:MM (CSV)
        return super().export_field(field, instance, **kwargs)

    def get_export_headers(self, selected_fields=None):
        headers = []
        for field in self.get_export_fields(selected_fields):
            model_field = self._model_field(field.attribute)
            headers.append(str(model_field.verbose_name) if model_field else field.column_name)
        return headers

    def _model_field(self, attribute):
        try:
            return self._meta.model._meta.get_field(attribute or "")
        except Exception:  # noqa: BLE001 - a computed column
            return None
