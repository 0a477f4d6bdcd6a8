"""What the partners' layer does when a prescription changes stage (connected in
``FormsConfig.ready()``): its partner's listing sees it, its webhook is owed."""

from django.dispatch import receiver

from forms.engine.models.records import status_changed
from forms.kinds.prescription.models import Prescription
from forms.partners.webhooks import stage_changed


@receiver(status_changed, sender=Prescription)
def prescription_stage_changed(sender, record, from_status, to_status, **kwargs):
    if from_status != to_status:
        stage_changed(record)
