"""The edit-view panel of pledges, batches and lots: documents, devices, actions."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel

from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.services import documents
from forms.logistics.services.report import programme_report_for_pledge


class DocumentsPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Devices and documents"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/documents_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            record = self.instance
            user = self.request.user
            model_name = record._meta.model_name
            back = urlencode({"next": self.request.path})
            actions = [
                (
                    _("Generate: %(document)s") % {"document": doc_type.label},
                    reverse("forms_document_generate", args=[doc_type.kind, model_name, record.pk])
                    + f"?{back}",
                )
                for doc_type in documents.kinds_for(record)
                if doc_type.permission(user, record)
            ]
            if model_name == "donorpledge" and user.has_perm("forms.add_device"):
                actions.insert(
                    0,
                    (
                        _("Record received devices"),
                        reverse("forms_receive_devices", args=[record.pk]),
                    ),
                )
            if model_name in {"donorpledge", "devicebatch", "lot"} and user.has_perm(
                "forms.view_device"
            ):
                scope = {"donorpledge": "pledge", "devicebatch": "batch", "lot": "lot"}[model_name]
                actions.append(
                    (
                        _("Print the device labels"),
                        reverse("forms_device_labels") + f"?{scope}={record.pk}",
                    )
                )
            figures = None
            links = []
            if model_name == "donorpledge":
                figures = programme_report_for_pledge(record)
                if user.has_perm("forms.add_donorfollowuplink"):
                    actions.append(
                        (
                            _("Send a follow-up link to the donor"),
                            reverse("forms_follow_up_send", args=[record.pk]),
                        )
                    )
                    links = list(record.follow_up_links.all())
            context.update(
                actions=actions,
                figures=figures,
                links=links,
                documents=list(GeneratedDocument.for_record(record)[:50]),
            )
            return context
