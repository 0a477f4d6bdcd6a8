from forms.models.form_page import FormPage
from forms.models.pledge import DonorPledge
from forms.models.records import Record, ReferenceCounter, StatusLog
from forms.models.submission import Submission

__all__ = ["DonorPledge", "FormPage", "Record", "ReferenceCounter", "StatusLog", "Submission"]
