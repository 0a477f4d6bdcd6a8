"""The Django form of one wizard step, built from the step's definition.

Conditions are enforced here, on the server: a field whose condition depends on
an earlier step is left out of the form; a field whose condition depends on a
field of the same step is validated only when that condition holds, and its
posted value is discarded otherwise.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from forms.engine.definition import StepDef
from forms.engine.fields import FieldContext, build_form_field

HONEYPOT_FIELD = "site_web_entreprise"


class StepForm(forms.Form):
    """Base of every step form: honeypot and same-step conditions."""

    step: StepDef = None
    kind = None
    use_required_attribute = False  # errors come from the server, in French, next to the field
    error_css_class = "field--error"
    required_css_class = "field--required"

    def __init__(self, *args, earlier_answers=None, user=None, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        earlier_answers = earlier_answers or {}
        self.earlier_answers = earlier_answers
        context = FieldContext(answers=earlier_answers, user=user, page=page)
        self.definitions = {}
        self.same_step_conditions = {}
        step_names = set()
        for item in self.step.input_fields():
            hidden_by_earlier_step = (
                item.condition
                and item.condition.field not in step_names
                and not item.condition.is_met(earlier_answers)
            )
            if hidden_by_earlier_step:
                continue  # not part of this form at all
            field = build_form_field(item, self.kind, context)
            if item.condition and item.condition.field in step_names:
                self.same_step_conditions[item.name] = (item.condition, field.required)
                field.required = False
            self.fields[item.name] = field
            self.definitions[item.name] = item
            step_names.add(item.name)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def is_hidden_by_condition(self, name):
        condition = self.same_step_conditions.get(name)
        return bool(condition) and not condition[0].is_met(self.cleaned_data)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Your answers could not be sent."), code="honeypot")
        for name, (condition, required) in self.same_step_conditions.items():
            if not condition.is_met(cleaned):
                cleaned.pop(name, None)
                self.errors.pop(name, None)
            elif required and cleaned.get(name) in (None, "", [], False):
                self.add_error(
                    name,
                    forms.ValidationError(
                        self.fields[name].error_messages["required"], code="required"
                    ),
                )
        for rule in self.kind.rules if self.kind else ():
            if not all(name in self.fields and name not in self.errors for name in rule.fields):
                continue
            message = rule.check(cleaned)
            if message:
                self.add_error(rule.error_field, forms.ValidationError(message, code="rule"))
        return cleaned

    def answers(self):
        """Cleaned answers of the visible fields, by technical name."""
        return {
            name: self.cleaned_data.get(name)
            for name in self.definitions
            if name in self.cleaned_data
        }

    def layout(self):
        """The step's items in order: (information block, None, condition) or
        (None, bound field, same-step condition). Fields hidden by an earlier
        step's answer are left out."""
        rows = []
        for item in self.step.fields:
            if not item.has_input:
                if item.condition and item.condition.field in self.earlier_answers:
                    if item.condition.is_met(self.earlier_answers):
                        rows.append((item, None, None))
                else:
                    rows.append((item, None, item.condition))
            elif item.name in self.fields:
                rows.append(
                    (None, self[item.name], self.same_step_conditions.get(item.name, (None,))[0])
                )
        return rows


def make_step_form(step: StepDef, kind):
    return type(f"Step{step.index}Form", (StepForm,), {"step": step, "kind": kind})


class ReviewForm(forms.Form):
    """The last step: the person reads every answer back and confirms."""

    use_required_attribute = False
