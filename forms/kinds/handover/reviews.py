"""The one-year review: a year after a handover, the beneficiary's referent (the
prescriber) is asked a few anonymous questions about how the computer is used.

One review per handover, never sent twice: the ``OneYearReview`` row is created with
the email, in one transaction, and the handover is then no longer due. Answers are
written once, by a conditional update, so a second submission changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.engine.notifications import send_one_year_review
from forms.enums import ReviewAutonomy, ReviewPurpose, ReviewUsage, ReviewYesNo
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.handover.review import OneYearReview
from forms.kinds.prescription.signals import prescriptions_anonymised

# The questions, in the order they are asked and shown: (answer key, wording, choices).
QUESTIONS = (
    ("usage", _("Does the person still use the computer?"), ReviewUsage),
    ("purposes", _("What does the person use it for?"), ReviewPurpose),
    ("autonomy", _("Has the person become more autonomous with digital tools?"), ReviewAutonomy),
    ("further_help", _("Did the person need further help since the handover?"), ReviewYesNo),
    ("comment", _("Comment"), None),
)
QUESTION_LABELS = {key: label for key, label, _choices in QUESTIONS}
COMMENT_MAX_LENGTH = 1000


@dataclass
class ReviewRun:
    sent: list = field(default_factory=list)  # handover references
    skipped: list = field(default_factory=list)  # no prescription or no prescriber email


def review_date(handover):
    return handover.handover_date + datetime.timedelta(days=settings.ONE_YEAR_REVIEW_DAYS)


def due_handovers(today):
    """Recorded handovers whose review date came (within the catch-up delay) and
    that have no review yet."""
    latest = today - datetime.timedelta(days=settings.ONE_YEAR_REVIEW_DAYS)
    earliest = latest - datetime.timedelta(days=settings.ONE_YEAR_REVIEW_CATCH_UP_DAYS)
    return (
        HandoverSheet.objects.filter(
            status=HandoverSheet.Status.RECORDED,
            handover_date__lte=latest,
            handover_date__gte=earliest,
            one_year_review__isnull=True,
        )
        .select_related("site", "prescription")
        .order_by("handover_date", "pk")
    )


def recipient_for(handover):
    prescription = handover.prescription
    if prescription is None or prescription.anonymised_at:
        return ""
    return prescription.prescriber_email.strip()


def send_one_year_reviews(today=None, dry_run=False):
    """Create and email the reviews due ``today``; returns what was sent and skipped."""
    today = today or timezone.localdate()
    run = ReviewRun()
    for handover in due_handovers(today):
        recipient = recipient_for(handover)
        if not recipient:
            run.skipped.append(handover.reference)
            continue
        if not dry_run:
            try:
                with transaction.atomic():
                    review = OneYearReview.objects.create(
                        handover=handover, recipient_email=recipient, sent_at=timezone.now()
                    )
                    send_one_year_review(review)
            except IntegrityError:
                continue  # another run created it meanwhile: it was sent there
        run.sent.append(handover.reference)
    return run


def review_is_open(review, now=None):
    """The questionnaire's link works for ONE_YEAR_REVIEW_ANSWER_DAYS after sending."""
    if review is None or review.sent_at is None:
        return False
    now = now or timezone.now()
    return now <= review.sent_at + datetime.timedelta(days=settings.ONE_YEAR_REVIEW_ANSWER_DAYS)


def open_review(token):
    """The review a questionnaire link names, if the link still works."""
    review = (
        OneYearReview.objects.select_related("handover", "handover__site")
        .filter(token=token)
        .first()
    )
    return review if review_is_open(review) else None


def save_answers(review, answers):
    """Write the answers once. False when the review was already answered (nothing changes)."""
    saved = OneYearReview.objects.filter(pk=review.pk, answered_at__isnull=True).update(
        answers=answers, answered_at=timezone.now()
    )
    return bool(saved)


def displayed_answers(review):
    """[(question, answer)] in the reader's language, from the stored codes."""
    answers = review.answers or {}
    rows = []
    for key, label, choices in QUESTIONS:
        value = answers.get(key)
        if choices is None:
            shown = value or ""
        elif isinstance(value, list):
            shown = ", ".join(str(_label(choices, item)) for item in value)
        else:
            shown = _label(choices, value) if value else ""
        rows.append((label, shown))
    return rows


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value  # a code no longer offered: shown as stored


@receiver(prescriptions_anonymised, dispatch_uid="handover_forget_review_recipients")
def forget_review_recipients(sender=None, **kwargs):
    """A one-year review forgets the prescriber's address with the prescription's
    personal data (or once the handover has no prescription); its answers are
    anonymous and stay."""
    return (
        OneYearReview.objects.exclude(recipient_email="")
        .filter(
            Q(handover__prescription__isnull=True)
            | Q(handover__prescription__anonymised_at__isnull=False)
        )
        .update(recipient_email="")
    )
