"""Export of the answers to one free form: one column per question."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from forms.engine.resources import RecordResource
from forms.kinds.generic.models import FormAnswer


class FormAnswerResource(RecordResource):
    """Answers to a free form: with ``definition``, one column per question (its
    current label, the answer as displayed); without, every answer in one cell."""

    form = fields.Field(attribute="form_page__title", column_name=str(_("form")))

    def __init__(self, definition=None, **kwargs):
        super().__init__(**kwargs)
        self.questions = []
        if definition is not None:
            self.questions = [item for item in definition.extra_fields() if item.name]
            for item in self.questions:
                column = fields.Field(column_name=item.label, attribute=None)
                column.question = item.name
                self.fields[f"answer__{item.name}"] = column

    def export_field(self, field, instance, **kwargs):
        question = getattr(field, "question", None)
        if question:
            return instance.answer(question)
        return super().export_field(field, instance, **kwargs)

    def get_export_order(self):
        order = super().get_export_order()
        if not self.questions:
            return order
        base = [name for name in order if name != "extra_answers"]
        return (*base, *(f"answer__{item.name}" for item in self.questions))

    class Meta:
        model = FormAnswer
        fields = ("reference", "created_at", "status", "form", "campaign", "email", "extra_answers")
        export_order = fields
