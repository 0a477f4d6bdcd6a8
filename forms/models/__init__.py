from forms.kinds import import_from_kinds
from forms.models.device import Device, DeviceBatch
from forms.models.documents import DocumentWording, GeneratedDocument
from forms.models.donor_link import DonorFollowUpLink
from forms.models.export_log import PersonalDataExport
from forms.models.form_page import FormPage
from forms.models.handover import HandoverSheet
from forms.models.loan import Loan, MaintenanceEntry
from forms.models.lot import Lot
from forms.models.outgoing_email import OutgoingEmail
from forms.models.pledge import DonorPledge
from forms.models.prescription import Prescription, PriorityCriterion
from forms.models.records import Record, ReferenceCounter, StatusLog
from forms.models.review import OneYearReview
from forms.models.submission import Submission

__all__ = [
    "Device",
    "DeviceBatch",
    "DocumentWording",
    "DonorFollowUpLink",
    "GeneratedDocument",
    "Lot",
    "OutgoingEmail",
    "DonorPledge",
    "FormPage",
    "HandoverSheet",
    "Loan",
    "MaintenanceEntry",
    "OneYearReview",
    "PersonalDataExport",
    "Prescription",
    "PriorityCriterion",
    "Record",
    "ReferenceCounter",
    "StatusLog",
    "Submission",
]

# Kinds packaged on their own (forms/kinds/<kind>/models.py) bring their models.
import_from_kinds("models")
