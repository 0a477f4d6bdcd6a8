from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """The raw answers of one completed walk through a form, as the person saw them."""

    form_page = models.ForeignKey(
        "forms.FormPage",
        verbose_name=_("form"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("form revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32)
    walk_token = models.CharField(max_length=64, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, db_index=True)
    answers = models.JSONField(_("answers"), default=list)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    record_type = models.ForeignKey(
        ContentType, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True)
    record = GenericForeignKey("record_type", "record_id")

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return self.reference
