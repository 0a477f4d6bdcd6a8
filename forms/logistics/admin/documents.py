"""Admin of the documents: wordings (snippets with revisions), generation, download,
donor follow-up links, and the programme report on the dashboard."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import Select
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from content.models import CampaignPage
from forms import access
from forms.engine.panels import add_record_panel
from forms.logistics import device_views
from forms.logistics.document_panels import DocumentsPanel
from forms.logistics.models.documents import DocumentWording
from forms.logistics.services.documents import REGISTRY, load_kinds, wording_for
from forms.logistics.services.report import programme_report

# The documents of each kind of record, in the documents tab of its edit view.
add_record_panel("forms.donorpledge", DocumentsPanel)
add_record_panel("forms.prescription", partial(DocumentsPanel, heading=_("Documents")))
add_record_panel("forms.handoversheet", partial(DocumentsPanel, heading=_("Documents")))


class WordingForm(WagtailAdminModelForm):
    """The campaign of a wording: one of the person's campaigns (or none: shared)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("campaign")
        if field is not None and self.for_user is not None:
            allowed = access.scoped_campaigns(self.for_user, CampaignPage.objects.all())
            current = self.instance.campaign_id
            field.widget = Select()  # a short list, not the page tree's chooser
            field.queryset = CampaignPage.objects.filter(
                Q(pk__in=allowed.values("pk")) | Q(pk=current)
            )


def wording_in_reach(user, wording):
    """A shared wording, or the own wording of one of the person's campaigns."""
    if wording.campaign_id is None:
        return True
    own = access.scoped_campaigns(user, CampaignPage.objects.all())
    return own.filter(pk=wording.campaign_id).exists()


class InReachMixin:
    """Another programme's own wording does not open (edit, delete, history)."""

    def get_object(self, queryset=None):
        wording = super().get_object(queryset)
        if not wording_in_reach(self.request.user, wording):
            raise PermissionDenied
        return wording


class WordingEditView(InReachMixin, snippet_views.EditView):
    pass


class WordingDeleteView(InReachMixin, snippet_views.DeleteView):
    pass


class DocumentWordingViewSet(SnippetViewSet):
    model = DocumentWording
    icon = "doc-full"
    menu_label = _("Document wordings")
    menu_order = 213
    add_to_admin_menu = True
    copy_view_enabled = False
    edit_view_class = WordingEditView
    delete_view_class = WordingDeleteView

    list_display = ["kind", "campaign", "title", "updated_at"]

    def get_queryset(self, request):
        # Every kind has its shared wording, created from the default text when missing.
        load_kinds()
        if DocumentWording.objects.filter(campaign__isnull=True).count() < len(REGISTRY):
            for kind in REGISTRY:
                wording_for(kind)
        # The shared wordings, and the own wordings of the person's campaigns.
        own = access.scoped_campaigns(request.user, CampaignPage.objects.all())
        return DocumentWording.objects.filter(
            Q(campaign__isnull=True) | Q(campaign__in=own.values("pk"))
        )

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type("ScopedWordingForm", (WordingForm, form_class), {})


register_snippet(DocumentWordingViewSet)


@hooks.register("register_admin_urls")
def register_document_urls():
    return [
        path(
            "documents-programme/<str:kind>/<str:model_name>/<int:object_id>/",
            device_views.generate_document,
            name="forms_document_generate",
        ),
        path(
            "documents-programme/pdf/<int:document_id>/",
            device_views.download_document,
            name="forms_document_download",
        ),
        path(
            "suivi-don/<int:pledge_id>/envoyer/",
            device_views.send_follow_up_link,
            name="forms_follow_up_send",
        ),
        path(
            "suivi-don/lien/<int:link_id>/revoquer/",
            device_views.revoke_follow_up_link,
            name="forms_follow_up_revoke",
        ),
    ]


class ProgrammeReportPanel(Component):
    name = "programme_report"
    order = 150
    template_name = "forms/admin/programme_report_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        # The campaigns the person sees as a whole; the total of every campaign for superusers.
        campaigns = CampaignPage.objects.filter(pk__in=access.campaign_ids_of(self.user))
        campaigns = campaigns.order_by("title")
        reports = (
            [(_("All campaigns"), programme_report())]
            if access.is_programme_wide(self.user)
            else []
        )
        reports += [(campaign.title, programme_report(campaign)) for campaign in campaigns[:20]]
        return {"reports": [(title, r) for title, r in reports if r["devices"]["taken_in"]]}


@hooks.register("construct_homepage_panels")
def add_programme_report_panel(request, panels):
    if request.user.has_perm("forms.view_device"):
        panels.append(ProgrammeReportPanel(request.user))
