"""Admin of answers to free forms: one listing per form, its columns chosen by the editor.

Imported by forms.wagtail_hooks (wagtail_modeladmin only loads from there)."""

from django.contrib.admin import SimpleListFilter
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.options import modeladmin_register

from forms.access import scope
from forms.engine.admin_views import RecordIndexView
from forms.engine.models.form_page import FormPage
from forms.engine.panels import (
    ExtraAnswersPanel,
    RecordTabbedInterface,
    RecordTargetPanel,
    StatusPanel,
)
from forms.engine.record_admin import RecordAdmin
from forms.engine.record_forms import RecordAdminForm
from forms.kinds.generic.models import OPEN_ANSWER_STATUSES, FormAnswer
from forms.kinds.generic.resources import FormAnswerResource

FORM_PARAM = "formulaire"


def generic_forms():
    return FormPage.objects.filter(kind="generic").order_by("title")


def chosen_form(request):
    """The form whose answers are listed (``?formulaire=<page id>``), if any."""
    value = request.GET.get(FORM_PARAM, "")
    if not value.isdigit():
        return None
    return generic_forms().filter(pk=int(value)).first()


class FormFilter(SimpleListFilter):
    title = _("form")
    parameter_name = FORM_PARAM

    def lookups(self, request, model_admin):
        return [(str(page.pk), page.title) for page in generic_forms().only("pk", "title")]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(form_page_id=int(value)) if value and value.isdigit() else queryset


def answer_column(item):
    def column(obj):
        return obj.answer(item.name) or "–"

    column.short_description = item.label
    column.__name__ = f"answer_{item.name}"
    return column


class FormAnswerIndexView(RecordIndexView):
    def get_search_results(self, request, queryset, search_term):
        return self.model_admin.search_answers(request, queryset, search_term)


@modeladmin_register
class FormAnswerAdmin(RecordAdmin):
    model = FormAnswer
    index_view_class = FormAnswerIndexView
    menu_label = _("Free-form answers")
    menu_icon = "form"
    menu_order = 240
    add_to_admin_menu = True
    resource_class = FormAnswerResource
    export_filename = "reponses"
    list_filter = (FormFilter, "status", "created_at")
    list_select_related = ("form_page",)
    ordering = ("-created_at",)
    search_fields = ("reference",)

    edit_handler = RecordTabbedInterface(
        [
            ObjectList(
                [
                    StatusPanel(),
                    RecordTargetPanel(),
                    ExtraAnswersPanel(),
                    FieldPanel("email"),
                    FieldPanel("campaign"),
                ],
                heading=_("Answers"),
            ),
        ],
        base_form_class=RecordAdminForm,
    )

    def get_list_display(self, request):
        page = chosen_form(request)
        if page is None:
            return ("reference", "form_page", "summary", "status", "created_at")
        columns = [answer_column(item) for item in page.specific.definition.listing_fields()]
        return ("reference", *columns, "status", "created_at")

    def search_answers(self, request, queryset, search_term):
        page = chosen_form(request)
        names = (
            [item.name for item in page.specific.definition.extra_fields() if item.name]
            if page
            else []
        )
        return queryset.search(search_term, names) if search_term else queryset

    def get_export_resource(self, request):
        page = chosen_form(request)
        return self.resource_class(definition=page.specific.definition if page else None)

    def summary(self, obj):
        return " · ".join(
            str(item.get("display", ""))[:40]
            for item in list(obj.extra_answers.values())[:2]
            if isinstance(item, dict)
        )

    summary.short_description = _("answers")


# The admin home: the free-form answers waiting to be handled --------------------------
ANSWERS_ON_HOME = 10


class AnswersToHandlePanel(Component):
    """The latest answers to free forms still new or in progress, of the campaigns the
    person sees (forms.access.scope): what the form's notification told them of."""

    name = "form_answers_to_handle"
    order = 60  # below the site dashboard, above Wagtail's own panels
    template_name = "forms/admin/answers_to_handle_panel.html"

    def __init__(self, answers, count):
        self.answers = answers
        self.count = count

    def get_context_data(self, parent_context=None):
        return {
            "answers": self.answers,
            "count": self.count,
            "index_url": reverse("forms_formanswer_modeladmin_index"),
        }


def answers_to_handle(user):
    """(the latest ANSWERS_ON_HOME answers to handle, their number) that ``user`` sees."""
    waiting = scope(user, FormAnswer.objects.filter(status__in=OPEN_ANSWER_STATUSES))
    answers = list(
        waiting.select_related("form_page", "campaign").order_by("-created_at", "-pk")[
            :ANSWERS_ON_HOME
        ]
    )
    count = len(answers) if len(answers) < ANSWERS_ON_HOME else waiting.count()
    return answers, count


@hooks.register("construct_homepage_panels")
def add_answers_to_handle(request, panels):
    if not request.user.has_perm("forms.view_formanswer"):
        return
    answers, count = answers_to_handle(request.user)
    if answers:
        panels.append(AnswersToHandlePanel(answers, count))
