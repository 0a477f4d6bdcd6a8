"""The one function a completed walk goes through: answers in, one record out."""

from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from forms.models import ReferenceCounter, Submission


@dataclass
class Answer:
    name: str
    label: str
    value: object  # the cleaned Python value
    stored: object  # the JSON form of the value
    display: str
    core: bool
    step: str
    consent_text: str = ""

    def as_json(self):
        data = asdict(self)
        data.pop("value")
        return data


def build_record(kind, page, answers):
    """The unsaved record: core answers in their columns, the others as extra answers."""
    record = kind.model(campaign=page.campaign, form_page=page)
    extra = {}
    for answer in answers:
        if not answer.core:
            extra[answer.name] = {
                "label": answer.label,
                "value": answer.stored,
                "display": answer.display,
            }
            continue
        model_field = kind.model_field(answer.name)
        value = answer.value
        if value is None and model_field.has_default():
            value = model_field.get_default()
        elif value is None and model_field.empty_strings_allowed and not model_field.null:
            value = ""
        setattr(record, answer.name, value)
        core = kind.core_field(answer.name)
        if core.consent_text_field:
            setattr(record, core.consent_text_field, answer.consent_text or answer.label)
    record.extra_answers = extra
    return record


def submit(page, walk_token, answers, user=None):
    """Store the raw submission and its typed record in one transaction.

    Returns (submission, created). A walk already submitted (double click,
    refresh, back then resubmit) returns the existing submission.
    """
    kind = page.kind_definition
    existing = Submission.objects.filter(walk_token=walk_token).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            reference = ReferenceCounter.next_reference(kind.reference_prefix)
            handler = kind.handler or default_handler
            record = handler(kind, page, answers, reference, user=user)
            submission = Submission.objects.create(
                form_page=page,
                revision=page.live_revision,
                kind=kind.code,
                walk_token=walk_token,
                reference=reference,
                answers=[answer.as_json() for answer in answers],
                record_type=ContentType.objects.get_for_model(record),
                record_id=record.pk,
            )
    except IntegrityError:
        # Another request completed the same walk first.
        return Submission.objects.get(walk_token=walk_token), False
    transaction.on_commit(lambda: queue_notifications(submission.pk))
    return submission, True


def default_handler(kind, page, answers, reference, user=None):
    record = build_record(kind, page, answers)
    record.reference = reference
    record.save()
    record.log_creation()
    return record


def queue_notifications(submission_id):
    from forms.tasks import send_submission_emails

    send_submission_emails.enqueue(submission_id)
