from forms.models.export_log import PersonalDataExport
from forms.models.form_page import FormPage
from forms.models.handover import HandoverSheet
from forms.models.pledge import DonorPledge
from forms.models.prescription import Prescription, PriorityCriterion
from forms.models.records import Record, ReferenceCounter, StatusLog
from forms.models.submission import Submission

__all__ = [
    "DonorPledge",
    "FormPage",
    "HandoverSheet",
    "PersonalDataExport",
    "Prescription",
    "PriorityCriterion",
    "Record",
    "ReferenceCounter",
    "StatusLog",
    "Submission",
]
