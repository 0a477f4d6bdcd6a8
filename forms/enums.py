from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# French labels agree with their record ("une fiche reçue", "un équipement reçu",
# "un lot annulé"): where one English word needs two French forms, the label
# carries a context (msgctxt) naming the record.


class FieldType(models.TextChoices):
    """What an editor can ask in a form step."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    CONSENT = "consent", _("Consent box")
    POSTCODE = "postcode", _("Postcode")
    SIRET = "siret", _("SIRET")
    MEDIATION_SITE = "mediation_site", _("Mediation site")


class AnswerStatus(models.TextChoices):
    """Answers to a generic form (a free form built by editors)."""

    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class PledgeStatus(models.TextChoices):
    NEW = "new", _("New")
    CONFIRMED = "confirmed", _("Confirmed")
    COLLECTED = "collected", _("Collected")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    ASSOCIATION = "association", _("Association")


class EquipmentAge(models.TextChoices):
    UNDER_3 = "under_3", _("Less than 3 years")
    FROM_3_TO_5 = "3_to_5", _("3 to 5 years")
    FROM_5_TO_8 = "5_to_8", _("5 to 8 years")
    OVER_8 = "over_8", _("More than 8 years")
    UNKNOWN = "unknown", _("Don't know")


class OperatingSystem(models.TextChoices):
    WINDOWS_11 = "windows_11", _("Windows 11")
    WINDOWS_10 = "windows_10", _("Windows 10")
    WINDOWS_7_8 = "windows_7_8", _("Windows 7 or 8")
    MACOS = "macos", _("macOS")
    LINUX = "linux", _("Linux")
    CHROMEOS = "chromeos", _("ChromeOS")
    OTHER = "other", _("Other or mixed")


class Accessory(models.TextChoices):
    CHARGERS = "chargers", _("Chargers")
    KEYBOARDS = "keyboards", _("Keyboards")
    MICE = "mice", _("Mice")


class ErasureBy(models.TextChoices):
    DONOR = "donor", _("We erase the data ourselves")
    PROGRAMME = "programme", _("The programme erases the data and issues a certificate")


class PrescriptionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    # Reached only through the allocation committee's decision (campaigns with a committee).
    GRANTED = "granted", _("Granted by the committee")
    WAITING_LIST = "waiting_list", _("On the committee's waiting list")
    ACCEPTED = "accepted", _("Accepted (training planned)")
    IN_TRAINING = "in_training", _("In training")
    EQUIPPED = "equipped", _("Equipped")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class CommitteeDecision(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("committee decision", "Accepted")
    REFUSED = "refused", pgettext_lazy("committee decision", "Refused")
    WAITING_LIST = "waiting_list", _("Waiting list")


class RefusalReason(models.TextChoices):
    OUTSIDE_AREA = "outside_area", _("Lives outside the site's area")
    NOT_ELIGIBLE = "not_eligible", _("Does not meet the programme's criteria")
    UNREACHABLE = "unreachable", _("Could not be reached")
    ALREADY_EQUIPPED = "already_equipped", _("Already has a computer")
    NO_CAPACITY = "no_capacity", _("No training place available")
    DECLINED = "declined", _("The person declined")
    OTHER = "other", _("Other reason")


class Situation(models.TextChoices):
    JOB_SEEKER = "job_seeker", _("Job seeker")
    RSA = "rsa", _("Receiving RSA")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    EMPLOYED = "employed", _("Employed")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    COMPUTER = "computer", _("A computer")
    TRAINING = "training", _("Training")


class OwnedEquipment(models.TextChoices):
    SMARTPHONE = "smartphone", _("A smartphone")
    INTERNET = "internet", _("Internet access at home")


class HandoverKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    LOAN = "loan", _("Loan")


class HandoverStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


# Anonymous profile of a handover (categories of La Coop de la médiation numérique).
class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_GIVEN = "not_given", _("Not given")


class AgeClass(models.TextChoices):
    UNDER_12 = "under_12", _("Under 12")
    FROM_12_TO_17 = "12_17", _("12–17")
    FROM_18_TO_24 = "18_24", _("18–24")
    FROM_25_TO_39 = "25_39", _("25–39")
    FROM_40_TO_59 = "40_59", _("40–59")
    FROM_60_TO_69 = "60_69", _("60–69")
    OVER_70 = "70_plus", _("70 and over")
    NOT_GIVEN = "not_given", _("Not given")


class SocialStatus(models.TextChoices):
    IN_SCHOOL = "in_school", _("In school")
    WITHOUT_EMPLOYMENT = "without_employment", _("Without employment")
    EMPLOYED = "employed", _("Employed")
    RETIRED = "retired", _("Retired")
    NOT_GIVEN = "not_given", _("Not given")


class DiagnosticTool(models.TextChoices):
    PIX = "pix", _("PIX")
    LES_BONS_CLICS = "les_bons_clics", _("Les Bons Clics")
    OTHER = "other", _("Other")
    NONE = "none", _("None")


# The one-year review's questionnaire (sent to the prescriber a year after a handover).
class ReviewUsage(models.TextChoices):
    OFTEN = "often", _("Often")
    SOMETIMES = "sometimes", _("Sometimes")
    NEVER = "never", _("Never")
    UNKNOWN = "unknown", _("Don't know")


class ReviewPurpose(models.TextChoices):
    PROCEDURES = "procedures", _("Administrative procedures")
    JOB_SEARCH = "job_search", _("Job search")
    SCHOOLING = "schooling", _("Schooling")
    FAMILY = "family", _("Keeping in touch with family")
    LEISURE = "leisure", _("Leisure")
    OTHER = "other", _("Other")


class ReviewAutonomy(models.TextChoices):
    YES = "yes", _("Yes")
    A_LITTLE = "a_little", _("A little")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Don't know")


class ReviewYesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


# Devices, lots and documents --------------------------------------
class DeviceStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("device status", "Received")
    IN_REFURBISHMENT = "in_refurbishment", _("In refurbishment")
    ELIMINATED = "eliminated", _("Eliminated (failed hardware tests)")
    READY = "ready", _("Ready")
    ALLOCATED = "allocated", _("Allocated to a mediation site")
    HANDED_OVER = "handed_over", _("Handed over")
    LENT = "lent", _("Lent or given outside the site network")
    RETURNED_BROKEN = "returned_broken", _("Returned broken")
    RETURNED = "returned", _("Returned after a loan")
    RECYCLED = "recycled", _("Recycled")


class DeviceType(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    DESKTOP = "desktop", _("Desktop")
    TABLET = "tablet", _("Tablet")
    SMARTPHONE = "smartphone", _("Smartphone")
    SCREEN = "screen", _("Screen")
    OTHER = "other", _("Other")


class DeviceGrade(models.TextChoices):
    A = "A", _("A – like new")
    B = "B", _("B – light signs of use")
    C = "C", _("C – visible signs of use")


class HardwareTestResult(models.TextChoices):
    NOT_TESTED = "not_tested", _("Not tested yet")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class ErasureMethod(models.TextChoices):
    OVERWRITE = "overwrite", _("Overwriting (software)")
    CRYPTO_ERASE = "crypto_erase", _("Cryptographic erasure")
    SECURE_ERASE = "secure_erase", _("ATA/NVMe secure erase")
    DESTRUCTION = "destruction", _("Physical destruction of the storage")


class ErasureResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")


class InstalledSystem(models.TextChoices):
    WINDOWS = "windows", _("Windows (OEM licence)")
    LINUX = "linux", _("Linux")
    OTHER = "other", _("Other")


class BatchKind(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Public body's batch")
    PURCHASE = "purchase", _("Purchase")
    OTHER = "other", _("Other source")


class LotStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", pgettext_lazy("lot status", "Cancelled")


class DocumentKind(models.TextChoices):
    DONATION_AGREEMENT = "donation_agreement", _("Donation agreement")
    ERASURE_CERTIFICATE = "erasure_certificate", _("Data erasure certificate")
    TRANSFER_AGREEMENT = "transfer_agreement", _("Transfer agreement")
    PRESCRIPTION_SHEET = "prescription_sheet", _("Prescription sheet")
    HANDOVER_SHEET = "handover_sheet", _("Handover sheet")
    LOAN_AGREEMENT = "loan_agreement", _("Loan agreement")


class LoanStatus(models.TextChoices):
    # "un prêt en cours / rendu / annulé"
    ONGOING = "ongoing", pgettext_lazy("loan status", "Ongoing")
    RETURNED = "returned", pgettext_lazy("loan status", "Returned")
    CANCELLED = "cancelled", pgettext_lazy("loan status", "Cancelled")


class BorrowerKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household (through its prescription)")
    ASSOCIATION = "association", _("Association or digital adviser")


class DeviceCondition(models.TextChoices):
    GOOD = "good", _("Good condition")
    WORN = "worn", _("Signs of use")
    DAMAGED = "damaged", _("Damaged, still works")
    BROKEN = "broken", _("Does not work")
