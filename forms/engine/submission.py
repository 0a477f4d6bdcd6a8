"""How records come into being: one creation service for every kind and every path.

``create_record`` is the only way a record is saved for the first time, whether
it comes from the public wizard (``submit``), an admin form or an import: the
record passes the model's validation and its kind's rules across fields, gets
its reference, is saved and logged, and its kind's effects are applied, all in
one transaction.
"""

from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from forms.engine.kinds import kind_for_model
from forms.engine.models.records import ReferenceCounter
from forms.engine.models.submission import Submission
from forms.engine.notifications import notify_submission


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


class RecordInvalid(ValidationError):
    """The record breaks a rule; ``problems`` lists (message, field names) pairs."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__([message for message, _fields in problems])


def record_problems(kind, record, creating=True):
    """[(message, fields)]: the kind's rules across fields, then the model's validation."""
    values = {name: getattr(record, name, None) for rule in kind.rules for name in rule.fields}
    problems = kind.rule_problems(values, creating=creating)
    seen = {message for message, _fields in problems}
    broken = {name for _message, fields in problems for name in fields}
    try:
        record.full_clean(exclude=["reference", *broken])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                if message not in seen:
                    seen.add(message)
                    problems.append((message, () if name == NON_FIELD_ERRORS else (name,)))
    return problems


def validate_record(record, kind=None):
    kind = kind or kind_for_model(type(record))
    problems = record_problems(kind, record)
    if problems:
        raise RecordInvalid(problems)


def create_record(record, by=None, note="", kind=None):
    """Validate, number, save and log a new record, then apply its kind's effects."""
    kind = kind or kind_for_model(type(record))
    with transaction.atomic():
        validate_record(record, kind)
        record.reference = ReferenceCounter.next_reference(kind.reference_prefix)
        record.save()
        record.log_creation(by=by, note=note)
        if kind.after_create:
            kind.after_create(record, by)
    return record


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
    if hasattr(record, "fill_from_answers"):
        record.fill_from_answers(answers, page.definition)
    return record


def submit(page, walk_token, answers, user=None):
    """Store the raw submission and its typed record in one transaction, and
    queue the emails that follow it (sent after commit).

    Returns (submission, created). A walk already submitted (double click,
    refresh, back then resubmit) returns the existing submission. Raises
    ``RecordInvalid`` (nothing saved) when the answers break a rule.
    """
    kind = page.kind_definition
    existing = Submission.objects.filter(walk_token=walk_token).first()
    if existing:
        return existing, False
    by = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            record = create_record(build_record(kind, page, answers), by=by, kind=kind)
            submission = Submission.objects.create(
                form_page=page,
                revision=page.live_revision,
                kind=kind.code,
                walk_token=walk_token,
                reference=record.reference,
                answers=[answer.as_json() for answer in answers],
                record_type=ContentType.objects.get_for_model(record),
                record_id=record.pk,
            )
            notify_submission(submission, record, page)
    except IntegrityError:
        # Another request completed the same walk first.
        existing = Submission.objects.filter(walk_token=walk_token).first()
        if existing is None:
            raise
        return existing, False
    return submission, True
