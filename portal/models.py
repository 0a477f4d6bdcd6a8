# The module also makes Django emit post_migrate for this app, which synchronises
# the staff groups (see portal.roles).

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.enums import ImportKind, ImportPhase, ImportStatus
from portal.validators import validate_siret


class RateLimitCounter(models.Model):
    """One client's request count in one time window (forms/ratelimit.py).

    Incremented by a single INSERT … ON CONFLICT DO UPDATE … RETURNING statement:
    exact under concurrency, and no failed write per request."""

    bucket = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)  # Unix time when the window closes

    class Meta:
        verbose_name = "rate-limit counter"

    def __str__(self):
        return f"{self.bucket}: {self.count}"


class ProgrammeIdentityFields(models.Model):
    """Who issues a programme's documents (PDF): the header and signatory. Shared by
    the site-wide fallback below and each campaign's own identity
    (forms.logistics.models.identity.ProgrammeIdentity)."""

    name = models.CharField(
        _("programme name"),
        max_length=200,
        help_text=_("First line of the header of the documents the programme issues."),
    )
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("One line per line of the address, e.g. the coordinating body, street, town."),
    )
    siret = models.CharField(_("SIRET"), max_length=17, blank=True, validators=[validate_siret])
    signatory_name = models.CharField(
        _("signatory"),
        max_length=150,
        blank=True,
        help_text=_("The person who signs the agreements for the programme."),
    )
    signatory_role = models.CharField(
        _("signatory's role"), max_length=150, blank=True, help_text=_("e.g. Director.")
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the documents (PNG or JPEG)."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.siret = "".join(ch for ch in self.siret if ch.isdigit())


@register_setting(icon="site")
class ProgrammeSettings(BaseGenericSetting, ProgrammeIdentityFields):
    """Who runs the programme: the header of the documents (PDF) of a campaign
    without its own identity (forms.logistics.models.identity.ProgrammeIdentity).
    Only superusers edit it."""

    name = models.CharField(
        _("programme name"),
        max_length=200,
        default="Programme Ordinateurs solidaires",
        help_text=_("First line of the header of the documents the programme issues."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("siret"),
        FieldPanel("signatory_name"),
        FieldPanel("signatory_role"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("programme")


class ImportJob(models.Model):
    """One admin import (sites or devices) run in the background: first a check of
    the file (phase preview), then, once the person confirms, the import itself.

    The uploaded file lives in the private storage (portal.import_jobs.private_storage)
    (portal.import_jobs.FOLDER) until the import is finished and its file of rows
    to fix is written, or until the retention ends. Services: portal/import_jobs.py."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    phase = models.CharField(
        _("phase"), max_length=16, choices=ImportPhase.choices, default=ImportPhase.PREVIEW
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # The worker running the job holds it until lease_expires_at, renewed as the job
    # progresses (IMPORT_JOB_LEASE_SECONDS); claim_token names that worker's claim, so
    # that a worker whose lease was taken back can no longer write to the job.
    lease_expires_at = models.DateTimeField(_("lease ends"), null=True, blank=True)
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    done_rows = models.PositiveIntegerField(_("rows read"), default=0)
    total_rows = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_name = models.CharField(_("stored file"), max_length=255, blank=True)
    fix_file_name = models.CharField(_("stored file of rows to fix"), max_length=255, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    report = models.JSONField(_("report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.original_name})"

    @property
    def is_active(self):
        return self.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}

    @property
    def percent(self):
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return None
        return min(100, round(100 * self.done_rows / self.total_rows))
