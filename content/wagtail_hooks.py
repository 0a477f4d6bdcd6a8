"""Admin wiring of the content app: the mediation-site registry."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput

from content.admin_forms import MultiValueCheckboxes
from content.admin_views import (
    MediationSiteDeleteView,
    MediationSiteEditView,
    MediationSiteFilterSet,
    MediationSiteImportConfirmView,
    MediationSiteImportFixFileView,
    MediationSiteImportJobView,
    MediationSiteImportStatusView,
    MediationSiteImportView,
    MediationSiteIndexView,
    PublishMediationSitesBulkAction,
    UnpublishMediationSitesBulkAction,
)
from content.models import MediationSite


class YesNoColumn(Column):
    """A yes/no field as a French reader expects it ("Oui"/"Non", not "True"/"False")."""

    def __init__(self, model, name, **kwargs):
        label = kwargs.pop("label", model._meta.get_field(name).verbose_name)
        super().__init__(name, label=label, sort_key=name, **kwargs)

    def get_value(self, instance):
        return _("Yes") if super().get_value(instance) else _("No")


def multi(column):
    return FieldPanel(column, widget=MultiValueCheckboxes(column))


class MediationSiteViewSet(ModelViewSet):
    model = MediationSite
    icon = "site"
    menu_label = _("Mediation sites")
    menu_order = 300
    add_to_admin_menu = True
    name = "mediation-sites"
    url_namespace = "content_mediationsite"
    index_view_class = MediationSiteIndexView
    edit_view_class = MediationSiteEditView
    delete_view_class = MediationSiteDeleteView
    list_display = [
        "nom",
        "commune",
        "code_postal",
        "department",
        "programme_status",
        YesNoColumn(MediationSite, "is_published"),
    ]
    list_filter = None
    filterset_class = MediationSiteFilterSet
    search_fields = ["nom", "commune", "code_postal"]
    search_backend_name = None
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = False

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    HelpPanel(
                        heading=_("Synchronisation"),
                        template="admin/content/mediation_site_sync_panel.html",
                    ),
                    FieldRowPanel([FieldPanel("nom"), FieldPanel("identifier")]),
                    FieldRowPanel([FieldPanel("pivot"), FieldPanel("structure_parente")]),
                    multi("typologie"),
                    FieldPanel("presentation_resume"),
                    FieldPanel("presentation_detail"),
                    MultiFieldPanel(
                        [
                            FieldPanel("adresse"),
                            FieldPanel("complement_adresse"),
                            FieldRowPanel(
                                [
                                    FieldPanel("code_postal"),
                                    FieldPanel("commune"),
                                    FieldPanel("code_insee"),
                                ]
                            ),
                            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                            multi("itinerance"),
                        ],
                        heading=_("Address"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("telephone"),
                            FieldPanel("courriels"),
                            FieldPanel("site_web"),
                            FieldPanel("horaires"),
                            FieldPanel("prise_rdv"),
                            FieldPanel("fiche_acces_libre"),
                        ],
                        heading=_("Contact and opening hours"),
                    ),
                    FieldRowPanel(
                        [FieldPanel("source"), FieldPanel("date_maj", widget=AdminDateInput)]
                    ),
                ],
                heading=_("Site"),
            ),
            ObjectList(
                [
                    multi("services"),
                    multi("publics_specifiquement_adresses"),
                    multi("prise_en_charge_specifique"),
                    multi("frais_a_charge"),
                    multi("modalites_acces"),
                    multi("modalites_accompagnement"),
                    multi("dispositif_programmes_nationaux"),
                    multi("formations_labels"),
                    FieldPanel("autres_formations_labels"),
                ],
                heading=_("Services"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("programme_status"), FieldPanel("agreement_date")]),
                    MultiFieldPanel(
                        [
                            FieldPanel("is_network_member"),
                            FieldPanel("is_on_national_map"),
                            FieldPanel("has_training_offer"),
                            FieldPanel("is_aptic_labelled"),
                        ],
                        heading=_("Prerequisites met"),
                    ),
                    FieldPanel("staff"),
                    FieldPanel("is_published"),
                ],
                heading=_("Programme"),
            ),
        ]
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", MediationSiteImportView.as_view(), name="import"),
            path("import/<int:job_id>/", MediationSiteImportJobView.as_view(), name="import_job"),
            path(
                "import/<int:job_id>/status/",
                MediationSiteImportStatusView.as_view(),
                name="import_status",
            ),
            path(
                "import/<int:job_id>/confirm/",
                MediationSiteImportConfirmView.as_view(),
                name="import_confirm",
            ),
            path(
                "import/<int:job_id>/fix/",
                MediationSiteImportFixFileView.as_view(),
                name="import_fix",
            ),
        ]


mediation_site_viewset = MediationSiteViewSet()


@hooks.register("register_admin_viewset")
def register_mediation_site_viewset():
    return mediation_site_viewset


# Publish / unpublish a selection of the listing (the hook takes the classes themselves).
hooks.register("register_bulk_action", PublishMediationSitesBulkAction)
hooks.register("register_bulk_action", UnpublishMediationSitesBulkAction)
