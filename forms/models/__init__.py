"""The models of the forms app, as Django loads them: the engine's, the logistics',
and each kind package's own ``models`` module (found by ``import_from_kinds``).
Code imports a model from its own module, not from here."""

from forms.engine.kinds import import_from_kinds
from forms.engine.models.export_log import PersonalDataExport
from forms.engine.models.form_page import FormPage
from forms.engine.models.outgoing_email import OutgoingEmail
from forms.engine.models.records import Record, ReferenceCounter, StatusLog
from forms.engine.models.submission import Submission
from forms.logistics.models.column_mapping import DeviceColumnMapping
from forms.logistics.models.device import Device, DeviceBatch
from forms.logistics.models.documents import DocumentWording, GeneratedDocument
from forms.logistics.models.donor_link import DonorFollowUpLink
from forms.logistics.models.identity import ProgrammeIdentity
from forms.logistics.models.loan import Loan, MaintenanceEntry
from forms.logistics.models.lot import Lot
from forms.partners.models import PartnerKey, PartnerPrescription, WebhookDelivery

__all__ = [
    "Device",
    "DeviceBatch",
    "DeviceColumnMapping",
    "DocumentWording",
    "DonorFollowUpLink",
    "FormPage",
    "GeneratedDocument",
    "Loan",
    "Lot",
    "MaintenanceEntry",
    "OutgoingEmail",
    "PartnerKey",
    "PartnerPrescription",
    "PersonalDataExport",
    "ProgrammeIdentity",
    "Record",
    "ReferenceCounter",
    "StatusLog",
    "Submission",
    "WebhookDelivery",
]

# Each kind package (forms/kinds/<kind>/models.py) brings its models.
import_from_kinds("models")
