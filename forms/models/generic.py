"""Answers to generic forms: any form an editor builds, without a typed record."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.enums import AnswerStatus as Status
from forms.models.records import Record

CLOSED_STATUSES = (Status.DONE, Status.REFUSED)


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
