"""The logistics' answers to the kinds' signals (a handover takes a device out of its
site's stock; an anonymised prescription loses its PDF sheets) and the source of the
campaign pages' live figures. Imported by FormsConfig.ready()."""

from django.dispatch import receiver

from content.metrics import register_metric_source
from forms.kinds.handover.signals import answers_known_for, device_for_handover, handover_recorded
from forms.kinds.prescription.models import Prescription
from forms.kinds.prescription.signals import prescriptions_anonymised
from forms.logistics.models.device import Device
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.services.devices import allocated_device_for_handover, record_handover
from forms.logistics.services.figures import key_figures

register_metric_source(key_figures)


@receiver(device_for_handover, dispatch_uid="logistics_device_for_handover")
def device_in_site_stock(sender, site, code, **kwargs):
    return allocated_device_for_handover(site, code)


@receiver(answers_known_for, dispatch_uid="logistics_answers_known_for")
def only_device_in_site_stock(sender, prescription, **kwargs):
    """The device to hand over, when the prescription's site has exactly one in stock."""
    codes = list(
        Device.objects.in_site_stock(prescription.site_id).values_list("inventory_code", flat=True)[
            :2
        ]
    )
    return {"device_code": codes[0]} if len(codes) == 1 else None


@receiver(handover_recorded, dispatch_uid="logistics_handover_recorded")
def device_handed_over(sender, sheet, by=None, **kwargs):
    if sheet.device_id:
        record_handover(sheet.device, sheet, by=by)


@receiver(prescriptions_anonymised, dispatch_uid="logistics_prescriptions_anonymised")
def delete_documents_of_anonymised(sender, **kwargs):
    GeneratedDocument.objects.filter(
        content_type__app_label="forms",
        content_type__model="prescription",
        object_id__in=Prescription.objects.filter(anonymised_at__isnull=False).values("pk"),
    ).delete()
