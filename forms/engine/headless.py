"""A form filled in one go, without the wizard: a dict of answers checked against the
form's definition exactly as the wizard checks them step by step.

Each visible step (step conditions read the answers of the steps before it) is
validated by its own step form (``forms.engine.steps``: field types, same-step
conditions, the kind's rules within the step), with the answers of the earlier
steps, as the wizard does. The answers then go through the one creation service
(``forms.engine.submission.submit``), whose rules across steps turn into errors
on the fields they concern. The partners' API sends prescriptions this way.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from forms.engine.fields import display_value, to_json
from forms.engine.steps import HONEYPOT_FIELD, make_step_form
from forms.engine.submission import Answer, RecordInvalid, submit

GENERAL = "__all__"  # errors that concern no single field
YES_NO_WORDS = {True: "yes", False: "no"}


@dataclass
class Checked:
    answers: list = field(default_factory=list)  # [Answer] of the visible fields
    errors: dict = field(default_factory=dict)  # {field name: [French message]}

    @property
    def is_valid(self):
        return not self.errors


def _step_forms(definition):
    """One form class per step, built once per definition (like the wizard's)."""
    forms = getattr(definition, "headless_forms", None)
    if forms is None:
        forms = [(step, make_step_form(step, definition.kind)) for step in definition.steps]
        definition.headless_forms = forms
    return forms


def _posted(value):
    """A JSON value as a form field reads it from a POST (booleans of yes/no fields)."""
    if isinstance(value, bool):
        return YES_NO_WORDS[value]
    if isinstance(value, int | float):
        return str(value)
    return value


def check_answers(page, data, user=None):
    """The answers of ``data`` (technical names) for ``page``'s form, checked step by step."""
    definition = page.definition
    checked = Checked()
    known = {item.name for item in definition.input_fields()}
    for name in data:
        if name not in known:
            checked.errors.setdefault(name, []).append(_("This field is not part of the form."))
    earlier = {}
    for step, form_class in _step_forms(definition):
        if step.condition and not step.condition.is_met(earlier):
            continue
        values = {name: _posted(value) for name, value in data.items() if name != HONEYPOT_FIELD}
        # Consent boxes left out are unchecked; a JSON false must read the same.
        values = {name: value for name, value in values.items() if value is not False}
        form = form_class(data=values, earlier_answers=dict(earlier), user=user, page=page)
        if not form.is_valid():
            for name, messages in form.errors.items():
                checked.errors.setdefault(name, []).extend(str(m) for m in messages)
            continue
        for name, value in form.answers().items():
            item = form.definitions[name]
            checked.answers.append(
                Answer(
                    name=name,
                    label=item.label,
                    value=value,
                    stored=to_json(value),
                    display=display_value(form.fields[name], value),
                    core=item.core,
                    step=step.slug,
                    consent_text=item.consent_text,
                )
            )
            earlier[name] = value
    return checked


def submit_answers(page, data, token, user=None):
    """Check ``data`` and create the record through ``submit``: (submission, created,
    errors). ``token`` plays the wizard's walk token: the same token never creates
    twice (a retried request returns the first submission)."""
    checked = check_answers(page, data, user=user)
    if not checked.is_valid:
        return None, False, checked.errors
    try:
        submission, created = submit(page, token, checked.answers, user=user)
    except RecordInvalid as error:
        errors = {}
        for message, fields in error.problems:
            for name in fields or (GENERAL,):
                errors.setdefault(name, []).append(str(message))
        return None, False, errors
    return submission, created, {}
