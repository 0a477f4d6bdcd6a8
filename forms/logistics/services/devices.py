"""What happens to devices: intake from a pledge, lots, handover."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms.engine.models.records import ReferenceCounter, StatusLog
from forms.enums import DeviceStatus, DeviceType
from forms.logistics.models.device import INVENTORY_PREFIX, Device
from forms.logistics.models.lot import DEFAULT_LOT_SIZE, Lot

PLEDGE_COUNT_TYPES = {
    "laptops": DeviceType.LAPTOP,
    "desktops": DeviceType.DESKTOP,
    "screens": DeviceType.SCREEN,
    "tablets": DeviceType.TABLET,
    "smartphones": DeviceType.SMARTPHONE,
    "other_devices": DeviceType.OTHER,
}
MAX_BULK = 1000


def log_creations(devices, by=None, note=""):
    content_type = ContentType.objects.get_for_model(Device)
    now = timezone.now()
    StatusLog.objects.bulk_create(
        [
            StatusLog(
                content_type=content_type,
                object_id=device.pk,
                from_status="",
                to_status=device.status,
                by=by,
                at=now,
                note=note,
            )
            for device in devices
        ],
        batch_size=1000,
    )


def receive_devices(counts, pledge=None, batch=None, by=None):
    """Create received devices in bulk: ``counts`` is {DeviceType: number}."""
    total = sum(counts.values())
    if total <= 0:
        raise ValidationError(_("Give at least one device to record."))
    if total > MAX_BULK:
        raise ValidationError(
            _("At most %(max)s devices can be recorded at once.") % {"max": MAX_BULK}
        )
    source = pledge or batch
    campaign_id = source.campaign_id if source else None
    with transaction.atomic():
        codes = iter(ReferenceCounter.next_references(INVENTORY_PREFIX, total))
        devices = [
            Device(
                inventory_code=next(codes),
                device_type=device_type,
                pledge=pledge,
                batch=batch,
                campaign_id=campaign_id,
            )
            for device_type, number in counts.items()
            for _index in range(number)
        ]
        Device.objects.bulk_create(devices)
        if not all(device.pk for device in devices):  # backends without RETURNING
            devices = list(
                Device.objects.filter(inventory_code__in=[d.inventory_code for d in devices])
            )
        log_creations(devices, by=by, note=source.reference if source else "")
    return devices


def pledge_counts(pledge):
    """The pledge's announced counts, less the devices already recorded for it."""
    recorded = {}
    for device_type in pledge.devices.values_list("device_type", flat=True):
        recorded[device_type] = recorded.get(device_type, 0) + 1
    return {
        device_type: max(0, getattr(pledge, name) - recorded.get(device_type, 0))
        for name, device_type in PLEDGE_COUNT_TYPES.items()
    }


def build_lot(site, size=DEFAULT_LOT_SIZE, by=None, campaign=None, **fields):
    """A draft lot for ``site`` with the ``size`` oldest ready devices not in a lot."""
    with transaction.atomic():
        available = Device.objects.available_for_lots().select_for_update()
        if campaign is not None:
            available = available.filter(campaign=campaign)
        chosen = list(
            available.order_by("refurbished_at", "pk").values_list("pk", flat=True)[:size]
        )
        if len(chosen) < size:
            raise ValidationError(
                _(
                    "Only %(available)s ready device(s) are available for a lot; "
                    "%(size)s were asked for."
                )
                % {"available": len(chosen), "size": size}
            )
        lot = Lot(site=site, size=size, campaign=campaign, created_by=by, **fields)
        lot.full_clean()
        lot.save()
        lot.log_creation()
        Device.objects.filter(pk__in=chosen).update(lot=lot)
    return lot


def allocated_device_for_handover(site, code):
    """The device with inventory ``code`` in ``site``'s stock, or a ValidationError
    that says why it cannot be handed over there."""
    code = (code or "").strip().upper()
    device = Device.objects.filter(inventory_code__iexact=code).select_related("site").first()
    if device is None:
        raise ValidationError(
            _("No device has the inventory code “%(code)s”. Check the label on the computer.")
            % {"code": code},
            code="unknown_device",
        )
    if device.site_id != getattr(site, "pk", site) or device.status != DeviceStatus.ALLOCATED:
        if device.status == DeviceStatus.HANDED_OVER:
            message = _("The device “%(code)s” has already been handed over.")
        else:
            message = _(
                "The device “%(code)s” is not in your site's stock: only devices delivered "
                "to your site and not yet handed over can be recorded here."
            )
        raise ValidationError(message % {"code": device.inventory_code}, code="not_in_stock")
    return device


def record_handover(device, sheet, by=None):
    """Move the device to handed over, logged with the sheet's reference."""
    reference = getattr(sheet, "reference", "") or ""
    return device.transition(DeviceStatus.HANDED_OVER, by=by, note=reference)
