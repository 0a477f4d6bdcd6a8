"""The column-mapping form of the devices' admin import: which refurbisher the file
comes from, what each column left over is (or that it is ignored), and whether to
remember that mapping for the refurbisher (device_import.remember_mapping)."""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from content.models import Organisation
from forms.logistics import device_import


def refurbishers():
    return Organisation.objects.filter(is_refurbisher=True).order_by("name")


class ColumnMappingForm(django_forms.Form):
    refurbisher = django_forms.ModelChoiceField(
        label=_("Refurbisher the file comes from"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not said"),
        help_text=_("Its remembered mapping is applied to the columns it names its own way."),
    )
    remember = django_forms.BooleanField(
        label=_("Remember this mapping for this refurbisher"),
        required=False,
        initial=True,
        help_text=_("Only when a refurbisher is chosen."),
    )

    def __init__(self, *args, headers=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refurbisher"].queryset = refurbishers()
        self.headers = list(headers)
        choices = [("", _("Ignore this column")), *device_import.MAPPABLE_FIELDS]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = django_forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=(current or {}).get(header, ""),
            )

    @property
    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headers))]

    def mapping(self):
        """{header as written: column, or "" to ignore it}."""
        return {
            header: self.cleaned_data.get(f"column_{index}") or ""
            for index, header in enumerate(self.headers)
        }


def headers_to_map(report, current):
    """The headers the person may map: those left unknown, and those already mapped
    (remembered or chosen), in the file's order."""
    return [
        header for header in report.headers if header in report.unknown_columns or header in current
    ]
