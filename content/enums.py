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
