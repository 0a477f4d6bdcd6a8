"""The programme's documents: their wording (edited by coordinators, versioned
with Wagtail revisions) and every PDF generated, with the wording version used.

A generated PDF is a file of the ``private`` storage (settings.STORAGES: a folder no
web server serves, or a private bucket shared by the app servers), under a random
name; it is read only by the portal's views, which check who asks and stream it. The
file goes with its row (deleted once the deletion is committed)."""

import secrets
import uuid
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin

from forms.enums import DocumentKind

WORDING_FIELDS = ("title", "intro", "body", "commitments", "signature_text", "issuer")
VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_verification_code():
    raw = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


class PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up when first used (and again when the
    setting changes, as DefaultStorage does): a file field keeps its storage object."""

    def _setup(self):
        self._wrapped = storages["private"]


PRIVATE_STORAGE = PrivateStorage()


@receiver(setting_changed, dispatch_uid="generated_document_storage")
def reset_private_storage(sender, setting, **kwargs):
    if setting == "STORAGES":
        PRIVATE_STORAGE._wrapped = empty


def private_storage():
    """The storage of generated PDFs (the file field's callable, named by migrations)."""
    return PRIVATE_STORAGE


def document_file_name(instance, filename):
    """A random key: a file name that says nothing of the person or the record."""
    return instance.created_at.strftime(f"documents/%Y/%m/{uuid.uuid4().hex}.pdf")


def normalise_verification_code(code):
    raw = "".join(ch for ch in str(code).upper() if ch.isalnum())[:16]
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class DocumentWording(RevisionMixin, models.Model):
    """The French text of one kind of document. Every save is a new revision;
    a generated document keeps the revision it was made from."""

    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    campaign = models.ForeignKey(
        "content.CampaignPage",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document_wordings",
        help_text=_(
            "Leave empty for the wording shared by every programme; a campaign's own "
            "wording replaces it on the documents of that campaign's records."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    body = models.TextField(
        _("main text"), blank=True, help_text=_("Plain text; a blank line starts a paragraph.")
    )
    commitments = models.TextField(
        _("commitments"), blank=True, help_text=_("One commitment per line.")
    )
    signature_text = models.TextField(
        _("text above the signatures"), blank=True, help_text=_("e.g. “Read and approved”.")
    )
    issuer = models.TextField(
        _("issuer"),
        blank=True,
        help_text=_("Name and address of the programme or the refurbisher, one line each."),
    )
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("campaign"),
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("commitments"),
        FieldPanel("signature_text"),
        FieldPanel("issuer"),
    ]

    class Meta:
        ordering = ["kind", "campaign_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(campaign__isnull=True),
                name="document_wording_shared_once",
            ),
            models.UniqueConstraint(fields=["kind", "campaign"], name="document_wording_once"),
        ]
        verbose_name = _("document wording")
        verbose_name_plural = _("document wordings")

    def __str__(self):
        if self.campaign_id:
            return f"{self.get_kind_display()} – {self.campaign}"
        return self.get_kind_display()

    def snapshot(self):
        return {name: getattr(self, name) for name in WORDING_FIELDS}

    def commitment_list(self):
        return [line.strip() for line in self.commitments.splitlines() if line.strip()]

    def current_version(self):
        """(revision, version number): the revision this text is, numbered from 1."""
        revision = self.latest_revision
        if revision is None:
            revision = self.save_revision(log_action=False)
        return revision, self.revisions.filter(pk__lte=revision.pk).count()


class GeneratedDocument(models.Model):
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_reference = models.CharField(_("about"), max_length=40, blank=True)
    wording = models.ForeignKey(
        DocumentWording,
        verbose_name=_("wording"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    wording_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    wording_version = models.PositiveIntegerField(_("wording version"), default=1)
    wording_snapshot = models.JSONField(_("wording used"), default=dict)
    verification_code = models.CharField(
        _("verification code"), max_length=19, unique=True, null=True, blank=True
    )
    device_count = models.PositiveIntegerField(_("devices"), default=0)
    issuer_name = models.CharField(_("issuer"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=120)
    file = models.FileField(
        _("PDF"), storage=private_storage, upload_to=document_file_name, editable=False
    )
    created_at = models.DateTimeField(_("generated on"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.record_reference}"

    @classmethod
    def for_record(cls, record):
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )

    def pdf_bytes(self):
        """The PDF, read from the private storage."""
        with self.file.open("rb") as handle:
            return handle.read()


@receiver(post_delete, sender=GeneratedDocument, dispatch_uid="generated_document_file")
def delete_document_file(sender, instance, **kwargs):
    """A deleted document (one by one or in bulk, e.g. by the personal-data purge)
    loses its file once the deletion is committed: a rolled-back purge keeps both."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(partial(storage.delete, name))
