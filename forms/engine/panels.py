"""Admin edit-view panels shared by every record type."""

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList, Panel, TabbedInterface

from forms.engine.record_targets import get_target

# Panels a later layer adds to a kind's edit view: (model label, slot) -> panel factories.
_added_panels = {}


def add_record_panel(model_label, factory, slot="tab"):
    """Show ``factory()`` in the added panels ``slot`` of ``model_label``'s edit view (its
    added-panels tab by default): how the logistics put their documents beside a record,
    and the handover its link on a prescription, without the kind importing them."""
    _added_panels.setdefault((model_label, slot), []).append(factory)


class AddedPanelsTab(ObjectList):
    """Holds the panels added with ``add_record_panel`` to its ``slot`` (hidden when none
    is shown): a tab, or a group inside a tab."""

    def __init__(self, children=(), *args, slot="tab", **kwargs):
        self.slot = slot
        super().__init__(children, *args, **kwargs)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "slot": self.slot}

    def on_model_bound(self):
        added = _added_panels.get((self.model._meta.label_lower, self.slot), [])
        self.children = [*self.children, *(factory() for factory in added)]
        super().on_model_bound()


class StatusPanel(Panel):
    """The record's status, its history (who, when) and the changes allowed now."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Status"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            record = self.instance
            meta = record._meta
            name = f"{meta.app_label}_{meta.model_name}_modeladmin_transition"
            labels = dict(record.Status.choices)
            context.update(
                record=record,
                logs=[
                    (
                        log,
                        labels.get(log.from_status, log.from_status),
                        labels.get(log.to_status, log.to_status),
                    )
                    for log in record.status_changes.select_related("by")
                ],
                actions=[
                    (record.Status(status).label, reverse(name, args=[record.pk, status]))
                    for status in record.Status.values
                    if record.can_change_by_hand(status)
                ],
            )
            return context


class ExtraAnswersPanel(Panel):
    """The answers to the questions editors added to the form, editable."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Other answers"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/extra_answers_panel.html"

        def is_shown(self):
            return bool(getattr(self.form, "extra_answer_fields", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["fields"] = [self.form[name] for name in self.form.extra_answer_fields]
            return context


class RecordTabbedInterface(TabbedInterface):
    """The tabs of a record's edit view. Wagtail renders, below the tabs, every form
    field no panel claims; the extra answers are claimed by ExtraAnswersPanel at
    run time, so they must not be rendered a second time (the second, unlabelled
    copy would be posted last and overwrite the edit)."""

    class BoundPanel(TabbedInterface.BoundPanel):
        def render_missing_fields(self):
            claimed = set(self.panel.get_form_options().get("fields", []))
            claimed |= set(getattr(self.form, "extra_answer_fields", ()))
            return mark_safe(  # noqa: S308 - Django's own rendering of bound fields
                "".join(str(self.form[name]) for name in self.form.fields if name not in claimed)
            )


class RecordTargetPanel(Panel):
    """On an answer to a free form whose editor chose what answers become (a loan):
    the button that opens its creation form prefilled, and the records made from it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("What this answer asks for"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/record_target_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            answer = self.instance
            page = answer.form_page.specific if answer and answer.form_page_id else None
            self.target = get_target(page.record_target) if page else None

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.target)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            answer = self.instance
            context.update(
                target=self.target,
                create_url=self.target.create_url(answer),
                created=self.target.created_from(answer, self.request.user),
            )
            return context
