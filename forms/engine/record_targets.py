"""Records a free-form answer can be turned into (a loan, ...), registered by the layer
that owns them (the logistics register the loan at start-up): the engine and the
kinds name none of them.

A form's editor chooses the target (``FormPage.record_target``) and which question
fills which of its fields (``FormPage.record_mapping``, one ``field = question`` per
line, by technical name). The answer's edit view then offers the target's creation
form prefilled (``create_url``) and lists the records created from it (``created_from``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RecordTarget:
    code: str
    label: str  # what the answer becomes: "Loan"
    action_label: str  # the button on the answer: "Create the loan"
    fields: Callable  # () -> {field name: label} the questions may fill
    create_url: Callable  # (answer) -> the creation form's address, prefilled from it
    created_from: Callable  # (answer, user) -> [(label, url)] of the records made from it


_targets = {}


def register_target(target):
    _targets[target.code] = target
    return target


def get_target(code):
    return _targets.get(code)


def target_choices():
    return [(target.code, target.label) for target in _targets.values()]


def parse_mapping(text):
    """{target field: question's technical name} from ``field = question`` lines."""
    mapping = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        field, sep, question = line.partition("=")
        if not sep or not field.strip() or not question.strip():
            raise ValidationError(
                _("Write each line as “field = question's technical name”: “%(line)s”.")
                % {"line": line.strip()}
            )
        mapping[field.strip()] = question.strip()
    return mapping


def mapping_problems(target, mapping, question_names):
    """What is wrong in ``mapping`` for ``target`` and a form asking ``question_names``."""
    fields = target.fields()
    problems = []
    for field, question in mapping.items():
        if field not in fields:
            problems.append(
                _(
                    "“%(field)s” is not a field of the record “%(target)s”; choose among: %(fields)s."
                )
                % {"field": field, "target": target.label, "fields": ", ".join(fields)}
            )
        if question not in question_names:
            problems.append(
                _("No question of this form has the technical name “%(question)s”.")
                % {"question": question}
            )
    return problems


def prefilled_values(page, answer):
    """{target field: the answer's stored value} for the fields the page's mapping fills."""
    values = {}
    for field, question in parse_mapping(page.record_mapping).items():
        item = answer.extra_answers.get(question)
        value = item.get("value") if isinstance(item, dict) else item
        if value not in (None, "", []):
            values[field] = value
    return values
