"""The one-year review: a short questionnaire sent to the beneficiary's referent a
year after a handover; its answers land here, beside the handover sheet."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_review_token():
    return secrets.token_urlsafe(32)


class OneYearReview(models.Model):
    handover = models.OneToOneField(
        "forms.HandoverSheet",
        verbose_name=_("handover sheet"),
        on_delete=models.CASCADE,
        related_name="one_year_review",
    )
    token = models.CharField(max_length=64, unique=True, default=new_review_token, editable=False)
    recipient_email = models.EmailField(_("sent to"), blank=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True, editable=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("one-year review")
        verbose_name_plural = _("one-year reviews")

    def __str__(self):
        return str(self.handover)
