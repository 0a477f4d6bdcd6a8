from django.utils.translation import gettext_lazy as _

from content.enums import NotificationEvent
from forms.engine.kinds import CoreField, FormKind, register
from forms.kinds.pledge.models import DonorPledge

PLEDGE = register(
    FormKind(
        code="pledge",
        label=_("Donor pledge"),
        model=DonorPledge,
        reference_prefix="DON",
        email_field="contact_email",
        notification_event=NotificationEvent.PLEDGE,
        core_fields=(
            CoreField("organisation_name", required=True),
            CoreField("siret"),
            CoreField("organisation_kind", required=True),
            CoreField("sector"),
            CoreField("contact_name", required=True),
            CoreField("contact_role"),
            CoreField("contact_email", required=True),
            CoreField("contact_phone"),
            CoreField("address", required=True),
            CoreField("postcode", required=True),
            CoreField("city", required=True),
            CoreField("pickup_address_differs"),
            CoreField("pickup_address"),
            CoreField("pickup_postcode"),
            CoreField("pickup_city"),
            CoreField("laptops"),
            CoreField("desktops"),
            CoreField("screens"),
            CoreField("tablets"),
            CoreField("smartphones"),
            CoreField("other_devices"),
            CoreField("equipment_age"),
            CoreField("operating_system"),
            CoreField("accessories"),
            CoreField("erasure_by", required=True),
            CoreField("pickup_availability"),
            CoreField("attend_ceremony"),
            CoreField("terms_accepted", required=True, consent_text_field="terms_text"),
        ),
    )
)
