"""The blocks editors build multi-step forms with: steps, and fields inside them.

Each input field carries a technical ``name``: it is set from the label the
first time the page is saved and never changes afterwards (see
``FormDefinition``), so relabelling a question never orphans stored answers.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forms.engine.kinds import core_field_choices
from forms.enums import FieldType

NAME_HELP = _(
    "Technical name, filled in from the label when the page is saved. "
    "It cannot change once the form is published."
)


class ConditionBlock(blocks.StructBlock):
    field = blocks.CharBlock(
        label=_("Show only when the answer to the question"),
        required=False,
        max_length=255,
        help_text=_("The question's label, as shown in the form (the list offers them)."),
    )
    value = blocks.CharBlock(
        label=_("is"),
        required=False,
        max_length=255,
        help_text=_("The expected answer: a choice as written, or yes / no."),
    )

    class Meta:
        label = _("Condition")
        collapsed = True
        form_classname = "form-condition"


class BaseFieldBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=255)
    name = blocks.CharBlock(
        label=_("Technical name"), required=False, max_length=64, help_text=NAME_HELP
    )
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    in_listing = blocks.BooleanBlock(
        label=_("Column of the answers listing"),
        required=False,
        default=False,
        help_text=_("Free forms: show this answer as a column of the listing in the admin."),
    )
    condition = ConditionBlock()

    class Meta:
        icon = "form"
        label_format = "{label}"  # a collapsed question shows its label


class TextFieldBlock(BaseFieldBlock):
    placeholder = blocks.CharBlock(label=_("Placeholder"), required=False, max_length=255)
    default = blocks.CharBlock(label=_("Default value"), required=False, max_length=255)


class NumberFieldBlock(BaseFieldBlock):
    min_value = blocks.IntegerBlock(label=_("Minimum"), required=False)
    max_value = blocks.IntegerBlock(label=_("Maximum"), required=False)
    default = blocks.IntegerBlock(label=_("Default value"), required=False)


class ChoiceFieldBlock(BaseFieldBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=255, label=_("Choice")), label=_("Choices"), min_num=1
    )
    default = blocks.CharBlock(label=_("Default choice"), required=False, max_length=255)


class YesNoFieldBlock(BaseFieldBlock):
    default = blocks.ChoiceBlock(
        label=_("Default answer"),
        required=False,
        choices=[("yes", _("Yes")), ("no", _("No"))],
    )


class ConsentFieldBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=255)
    name = blocks.CharBlock(
        label=_("Technical name"), required=False, max_length=64, help_text=NAME_HELP
    )
    text = blocks.TextBlock(label=_("Text the person agrees to"))
    condition = ConditionBlock()

    class Meta:
        icon = "tick-inverse"
        label = _("Consent box")
        label_format = "{label}"


class CoreFieldBlock(blocks.StructBlock):
    core = blocks.ChoiceBlock(label=_("Record field"), choices=core_field_choices)
    label = blocks.CharBlock(
        label=_("Label"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the field's usual label."),
    )
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    placeholder = blocks.CharBlock(label=_("Placeholder"), required=False, max_length=255)
    required = blocks.BooleanBlock(
        label=_("Required"),
        required=False,
        default=False,
        help_text=_("Fields the record always needs are required anyway."),
    )
    text = blocks.TextBlock(
        label=_("Consent text"),
        required=False,
        help_text=_("For consent fields: the text the person agrees to."),
    )
    condition = ConditionBlock()

    class Meta:
        icon = "pick"
        label = _("Core field of the record")


class InformationBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ol", "ul"])
    condition = ConditionBlock()

    class Meta:
        icon = "info-circle"
        label = _("Information")


class FieldsBlock(blocks.StreamBlock):
    core_field = CoreFieldBlock()
    short_text = TextFieldBlock(label=FieldType.SHORT_TEXT.label)
    long_text = TextFieldBlock(label=FieldType.LONG_TEXT.label)
    email = TextFieldBlock(label=FieldType.EMAIL.label)
    phone = TextFieldBlock(label=FieldType.PHONE.label)
    number = NumberFieldBlock(label=FieldType.NUMBER.label)
    date = TextFieldBlock(label=FieldType.DATE.label)
    single_choice = ChoiceFieldBlock(label=FieldType.SINGLE_CHOICE.label)
    multiple_choice = ChoiceFieldBlock(label=FieldType.MULTIPLE_CHOICE.label)
    yes_no = YesNoFieldBlock(label=FieldType.YES_NO.label)
    consent = ConsentFieldBlock(label=FieldType.CONSENT.label)
    postcode = TextFieldBlock(label=FieldType.POSTCODE.label)
    siret = TextFieldBlock(label=FieldType.SIRET.label)
    mediation_site = BaseFieldBlock(label=FieldType.MEDIATION_SITE.label)
    information = InformationBlock()

    class Meta:
        collapsed = True  # the editor sees each question by its label until opened


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step title"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    condition = ConditionBlock()
    fields = FieldsBlock(label=_("Fields"))

    class Meta:
        icon = "list-ol"
        label = _("Step")
        label_format = "{title}"  # a collapsed step shows its title
