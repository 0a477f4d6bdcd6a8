"""Answers to generic forms: any form an editor builds, without a typed record."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.engine.models.records import Record, StatusLog
from forms.engine.models.submission import Submission
from forms.enums import AnswerStatus as Status

CLOSED_STATUSES = (Status.DONE, Status.REFUSED)
OPEN_ANSWER_STATUSES = (Status.NEW, Status.IN_PROGRESS)  # still to handle


class FormAnswerQuerySet(models.QuerySet):
    def for_form(self, page_id):
        return self.filter(form_page_id=page_id)

    def search(self, text, field_names):
        """Answers whose reference, or displayed answer to one of ``field_names``, contains ``text``."""
        condition = models.Q(reference__icontains=text)
        for name in field_names:
            condition |= models.Q(**{f"extra_answers__{name}__display__icontains": text})
        return self.filter(condition)


class FormAnswer(Record):
    """One person's answers to a generic form. Every answer is an extra answer,
    kept by the question's technical name with its label and displayed value."""

    Status = Status
    TRANSITIONS = {
        Status.NEW: {Status.IN_PROGRESS, Status.DONE, Status.REFUSED},
        Status.IN_PROGRESS: {Status.DONE, Status.REFUSED},
    }

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    email = models.EmailField(
        _("email address"),
        blank=True,
        help_text=_("The first email address answered: it receives the acknowledgement."),
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, editable=False)

    objects = FormAnswerQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("answer to a free form")
        verbose_name_plural = _("answers to free forms")
        indexes = [
            models.Index(fields=["form_page", "status"]),
            models.Index(fields=["created_at"]),
        ]

    def fill_from_answers(self, answers, definition):
        for answer in answers:
            item = definition.field(answer.name)
            if item is not None and item.type == "email" and answer.value:
                self.email = answer.value
                return

    def transition(self, to_status, by=None, note="", update_fields=()):
        self.closed_at = timezone.now() if to_status in CLOSED_STATUSES else None
        return super().transition(
            to_status, by=by, note=note, update_fields=["closed_at", *update_fields]
        )

    def answer(self, name):
        item = self.extra_answers.get(name)
        return item.get("display", "") if isinstance(item, dict) else (item or "")


def purge_closed_answers(now=None):
    """Delete answers closed more than GENERIC_RETENTION_DAYS ago, with their raw
    submissions and history (a free form may hold any personal data)."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.GENERIC_RETENTION_DAYS)
    due = FormAnswer.objects.filter(status__in=CLOSED_STATUSES, closed_at__lte=limit)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Submission.objects.filter(kind="generic", record_id__in=ids).delete()
        StatusLog.objects.filter(
            content_type__app_label="forms", content_type__model="formanswer", object_id__in=ids
        ).delete()
        FormAnswer.objects.filter(pk__in=ids).delete()
    return len(ids)
