from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class ButtonStyle(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")


class ProgrammeStatus(models.TextChoices):
    """Where a mediation site stands in the solidarity-computer programme."""

    CANDIDATE = "candidate", _("Candidate")
    SIGNED = "signed", _("Agreement signed")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left the programme")


class SyncStatus(models.TextChoices):
    """Where a mediation site stands towards its synchronisation source."""

    SYNCED = "synced", _("Synchronised with a source")
    LEFT_SOURCE = "left_source", _("Left its source")
    NEVER_SYNCED = "never_synced", _("Never synchronised")


class KeyFigureMetric(models.TextChoices):
    """What a live key figure counts, from its campaign's records."""

    DONOR_ORGANISATIONS = "donor_organisations", _("Donor organisations")
    PLEDGED_DEVICES = "pledged_devices", _("Computers pledged")
    RECEIVED_DEVICES = "received_devices", _("Computers received")
    REFURBISHED_DEVICES = "refurbished_devices", _("Computers refurbished")
    HANDED_OVER_DEVICES = "handed_over_devices", _("Computers handed over")
    LENT_DEVICES = "lent_devices", _("Computers lent")
    MEDIATION_SITES = "mediation_sites", _("Mediation sites")
    PEOPLE_TRAINED = "people_trained", _("People trained")


class NotificationEvent(models.TextChoices):
    """What happened in a campaign that someone may have to act on."""

    PLEDGE = "pledge", _("New donor pledge")
    PRESCRIPTION = "prescription", _("New prescription")
    FORM_ANSWER = "form_answer", _("New answer to a free form")
    COMMITTEE_DECISION = "committee_decision", _("Allocation committee decision")
    HANDOVER = "handover", _("Computer handed over")
    LOAN_DUE = "loan_due", _("Loan ending soon")
    LOAN_OVERDUE = "loan_overdue", _("Loan overdue")


class NotificationRecipients(models.TextChoices):
    """Who a campaign's notification rule sends an event to."""

    COORDINATORS = "coordinators", _("The campaign's coordinators")
    SITE_STAFF = "site_staff", _("The mediation site's staff")
    PRESCRIBER = "prescriber", _("The prescriber")
    ADDRESS = "address", _("A fixed address")
