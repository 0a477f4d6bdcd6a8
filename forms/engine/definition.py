"""A form page's steps and fields, read from its StreamField into plain objects.

The wizard, the publish checks, the review step and the API all read the
definition from here rather than from the raw block values.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.text import slugify
from django.utils.translation import gettext as _

from forms.engine.kinds import FormKind
from forms.enums import FieldType

NAME_MAX_LENGTH = 64
# Block types of a step that are not questions of FieldType.
CORE_FIELD = "core_field"  # a column of the kind's record, placed by the editor
INFORMATION = "information"  # text shown to the person, no input
INPUT_LESS_TYPES = {INFORMATION}
YES_WORDS = {"yes", "oui", "true", "1", "vrai"}
NO_WORDS = {"no", "non", "false", "0", "faux"}


def normalise_expected(value):
    value = (value or "").strip().lower()
    if value in YES_WORDS:
        return "yes"
    if value in NO_WORDS:
        return "no"
    return value


def comparable(value):
    """An answer as the set of strings a condition can match."""
    if value is None:
        return set()
    if isinstance(value, bool):
        return {"yes" if value else "no"}
    if isinstance(value, list | tuple | set):
        return {str(item).strip().lower() for item in value}
    if hasattr(value, "pk"):
        return {str(value.pk)}
    return {str(value).strip().lower()}


@dataclass(frozen=True)
class Condition:
    field: str
    value: str

    @classmethod
    def from_block(cls, value):
        if not value or not (value.get("field") or "").strip():
            return None
        return cls(field=value["field"].strip(), value=normalise_expected(value.get("value")))

    def is_met(self, answers):
        """``answers``: the cleaned values given so far, by technical name."""
        if self.field not in answers:
            return False
        return self.value in comparable(answers[self.field])


@dataclass
class FieldDef:
    block_id: str
    type: str
    name: str
    label: str
    help_text: str = ""
    required: bool = False
    placeholder: str = ""
    default: object = None
    choices: tuple = ()
    min_value: int | None = None
    max_value: int | None = None
    consent_text: str = ""
    condition: Condition | None = None
    core: bool = False
    text: object = None  # information blocks
    in_listing: bool = False  # a column of the answers listing (generic forms)

    @property
    def has_input(self):
        return self.type not in INPUT_LESS_TYPES


@dataclass
class StepDef:
    index: int
    title: str
    intro: str
    condition: Condition | None
    fields: list[FieldDef] = field(default_factory=list)

    @property
    def slug(self):
        return f"etape-{self.index}"

    def input_fields(self):
        return [item for item in self.fields if item.has_input]


def _field_from_block(child, kind):
    value = child.value
    block_type = child.block_type
    common = {
        "block_id": child.id or "",
        "condition": Condition.from_block(value.get("condition")),
    }
    if block_type == INFORMATION:
        return FieldDef(type=INFORMATION, name="", label="", text=value.get("text"), **common)
    if block_type == CORE_FIELD:
        kind_code, _sep, core_name = (value.get("core") or "").partition(":")
        core = kind.core_field(core_name) if kind and kind_code == kind.code else None
        model_field = kind.model_field(core_name) if core else None
        return FieldDef(
            type=CORE_FIELD,
            name=core_name if core else f"?{value.get('core')}",
            label=value.get("label")
            or (str(model_field.verbose_name).capitalize() if model_field else ""),
            help_text=value.get("help_text") or "",
            placeholder=value.get("placeholder") or "",
            required=bool(value.get("required")),
            consent_text=value.get("text") or "",
            core=True,
            **common,
        )
    return FieldDef(
        type=block_type,
        name=(value.get("name") or "").strip(),
        label=value.get("label") or "",
        help_text=value.get("help_text") or "",
        required=True if block_type == FieldType.CONSENT else bool(value.get("required")),
        placeholder=value.get("placeholder") or "",
        default=value.get("default"),
        choices=tuple(value.get("choices") or ()),
        min_value=value.get("min_value"),
        max_value=value.get("max_value"),
        consent_text=value.get("text") or "",
        in_listing=bool(value.get("in_listing")),
        **common,
    )


class FormDefinition:
    def __init__(self, steps_value, kind: FormKind | None, omitted=frozenset()):
        """``omitted``: names of fields left out (questions the campaign does not ask)."""
        self.kind = kind
        self.wizard_parts = None  # step forms and conditions, built once by forms.wizard
        self.steps = []
        for index, step in enumerate(steps_value, start=1):
            value = step.value
            self.steps.append(
                StepDef(
                    index=index,
                    title=value.get("title") or "",
                    intro=value.get("intro") or "",
                    condition=Condition.from_block(value.get("condition")),
                    fields=[
                        item
                        for item in (
                            _field_from_block(child, kind) for child in value.get("fields") or []
                        )
                        if not (item.name and item.name in omitted)
                    ],
                )
            )
        self._resolve_condition_labels()

    def _resolve_condition_labels(self):
        """Editors pick a condition's question by its label (the editor offers the
        labels of the form's questions); conditions are matched by technical name."""
        names = {item.name for item in self.input_fields() if item.name}
        by_label = {}
        for item in self.input_fields():
            if item.name and item.label:
                by_label.setdefault(item.label.strip().casefold(), item.name)

        def resolved(condition):
            if condition is None or condition.field in names:
                return condition
            name = by_label.get(condition.field.casefold())
            return Condition(field=name, value=condition.value) if name else condition

        for step in self.steps:
            step.condition = resolved(step.condition)
            for item in step.fields:
                item.condition = resolved(item.condition)

    def input_fields(self):
        return [item for step in self.steps for item in step.input_fields()]

    def field(self, name):
        return next((item for item in self.input_fields() if item.name == name), None)

    def extra_fields(self):
        return [item for item in self.input_fields() if not item.core]

    def listing_fields(self, default_count=3):
        """The questions shown as columns of the answers listing: those the editor
        ticked, else the first few."""
        fields = [item for item in self.extra_fields() if item.name]
        chosen = [item for item in fields if item.in_listing]
        return chosen or fields[:default_count]

    # Publish checks ----------------------------------------------------
    @cached_property
    def problem_list(self):
        """The problems, computed once per definition (definitions are shared)."""
        return self.problems()

    def problems(self):
        """What stops this form from being published, as sentences for the editor."""
        problems = []
        if not self.steps:
            problems.append(_("The form has no step."))
        placed = {}
        seen_names = {}
        for step in self.steps:
            for item in step.input_fields():
                if item.core and item.name.startswith("?"):
                    problems.append(
                        _("“%(label)s” in step %(step)s is not a field of this kind of form.")
                        % {"label": item.label or item.name[1:], "step": step.index}
                    )
                    continue
                if item.core:
                    placed[item.name] = placed.get(item.name, 0) + 1
                elif item.name:
                    seen_names.setdefault(item.name, []).append(item.label)
        if self.kind:
            for core in self.kind.core_fields:
                label = self.kind.core_field_label(core.name)
                count = placed.get(core.name, 0)
                if core.required and count == 0:
                    problems.append(
                        _("The required field “%(label)s” is missing from the steps.")
                        % {"label": label}
                    )
                if count > 1:
                    problems.append(
                        _("The field “%(label)s” is placed %(count)s times; place it once.")
                        % {"label": label, "count": count}
                    )
        for name, labels in seen_names.items():
            if self.kind and self.kind.core_field(name):
                problems.append(
                    _(
                        "The technical name “%(name)s” of “%(label)s” is reserved for a field of the record."
                    )
                    % {"name": name, "label": labels[0]}
                )
            elif len(labels) > 1:
                problems.append(
                    _("Several fields share the technical name “%(name)s”: %(labels)s.")
                    % {"name": name, "labels": ", ".join(f"“{label}”" for label in labels)}
                )
        problems.extend(self._condition_problems())
        if (
            self.kind
            and not self.kind.generic
            and any(core.required and not placed.get(core.name) for core in self.kind.core_fields)
        ):
            problems.append(
                _(
                    "This form is of the kind “%(kind)s”, whose record needs the fields above. "
                    "To collect other answers (a loan request, a registration…), choose the "
                    "kind “Free form”: any question can then be published."
                )
                % {"kind": self.kind.label}
            )
        return problems

    def _condition_problems(self):
        problems = []
        earlier = set()
        for step in self.steps:
            if step.condition and step.condition.field not in earlier:
                problems.append(
                    _(
                        "The condition of step %(step)s refers to “%(field)s”, which is not a field of an earlier step."
                    )
                    % {"step": step.index, "field": step.condition.field}
                )
            step_names = set()
            for item in step.fields:
                if item.condition and item.condition.field not in earlier | step_names:
                    problems.append(
                        _(
                            "The condition of “%(label)s” (step %(step)s) refers to “%(field)s”, which is not an earlier field."
                        )
                        % {
                            "label": item.label or _("information"),
                            "step": step.index,
                            "field": item.condition.field,
                        }
                    )
                if item.has_input and item.name:
                    step_names.add(item.name)
            earlier |= step_names
        return problems


def assign_names(steps_value, frozen_names):
    """Give every extra field without a technical name one made from its label,
    and put back the name a field had when the form was last published.

    ``frozen_names``: {block id: name} from the live version. Mutates the value.
    """
    used = set()
    pending = []
    for step in steps_value:
        for child in step.value.get("fields") or []:
            if child.block_type in {CORE_FIELD, INFORMATION}:
                continue
            frozen = frozen_names.get(child.id)
            if frozen:
                child.value["name"] = frozen
            if child.value.get("name"):
                child.value["name"] = child.value["name"].strip()
                used.add(child.value["name"])
            else:
                pending.append(child)
    for child in pending:
        base = (
            slugify(child.value.get("label") or "champ").replace("-", "_")[: NAME_MAX_LENGTH - 4]
            or "champ"
        )
        name, number = base, 2
        while name in used:
            name, number = f"{base}_{number}", number + 1
        child.value["name"] = name
        used.add(name)


def field_names_by_block(steps_value):
    return {
        child.id: child.value.get("name")
        for step in steps_value
        for child in step.value.get("fields") or []
        if child.id
        and child.block_type not in {CORE_FIELD, INFORMATION}
        and child.value.get("name")
    }
