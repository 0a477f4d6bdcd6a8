"""Choice lists of the portal app (TextChoices)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    SITES = "sites", _("Mediation sites")
    DEVICES = "devices", _("Devices")


class ImportPhase(models.TextChoices):
    PREVIEW = "preview", _("Check")
    IMPORT = "import", _("Import")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    # Its worker stopped (its lease ran out): shown with a button to run it again.
    INTERRUPTED = "interrupted", _("Interrupted")
