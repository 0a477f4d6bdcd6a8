"""A refurbisher's column mapping, remembered: the columns their files name in
their own way, mapped once by a person, read the same way at the next import."""

from django.utils import timezone

from content.models import Organisation
from forms.logistics.device_import.columns import COLUMNS, MAPPABLE_FIELDS
from forms.logistics.models.column_mapping import DeviceColumnMapping

__all__ = [
    "MAPPABLE_FIELDS",
    "clean_mapping",
    "find_refurbisher",
    "remember_mapping",
    "saved_mapping",
]


def clean_mapping(mapping):
    """{header: column or ""}, keeping only columns the import knows ("" ignores the header)."""
    return {
        str(header).strip(): (column if column in COLUMNS else "")
        for header, column in (mapping or {}).items()
        if str(header).strip()
    }


def saved_mapping(refurbisher):
    """The mapping remembered for this refurbisher (an Organisation or its pk), or {}."""
    if refurbisher is None:
        return {}
    pk = getattr(refurbisher, "pk", refurbisher)
    found = DeviceColumnMapping.objects.filter(refurbisher_id=pk).values_list("mapping", flat=True)
    return dict(next(iter(found), None) or {})


def remember_mapping(refurbisher, mapping, by=None):
    """Add ``mapping`` to what is remembered for ``refurbisher`` (a header mapped again
    takes its new column); returns the whole mapping now remembered."""
    pk = getattr(refurbisher, "pk", refurbisher)
    remembered = saved_mapping(pk)
    remembered.update(clean_mapping(mapping))
    DeviceColumnMapping.objects.update_or_create(
        refurbisher_id=pk,
        defaults={"mapping": remembered, "updated_at": timezone.now(), "updated_by": by},
    )
    return remembered


def find_refurbisher(key):
    """A refurbisher of the chain by its id or SIRET (spaces ignored), or None."""
    text = str(key or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    refurbishers = Organisation.objects.filter(is_refurbisher=True)
    if len(digits) == 14:
        found = refurbishers.filter(siret=digits).first()
        if found is not None:
            return found
    if text.isdigit():
        return refurbishers.filter(pk=int(text)).first()
    return refurbishers.filter(name__iexact=text).first()
