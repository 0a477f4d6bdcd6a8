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
