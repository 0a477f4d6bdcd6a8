"""Admin of partner keys (wagtail-modeladmin), scoped to the coordinator's campaigns.

A coordinator sees the keys whose campaigns are all theirs; the key is shown once,
in the message after its creation; a key is revoked from its edit form; the edit
view shows when it was last used and the log of its webhook deliveries.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, Panel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import CreateView

from content.models import CampaignPage
from forms.access import campaign_ids_of, is_programme_wide, scoped_campaigns
from forms.engine.panels import add_record_panel
from forms.partners.keys import create_key
from forms.partners.models import PartnerKey, PartnerPrescription
from forms.partners.webhooks import check_callback_url

DELIVERIES_SHOWN = 20


def scoped_keys(user, keys):
    """Keys naming at least one campaign, all of them coordinated by ``user``."""
    if is_programme_wide(user):
        return keys
    mine = campaign_ids_of(user)
    if not mine:
        return keys.none()
    return keys.filter(campaigns__in=mine).exclude(campaigns__in=_others(mine)).distinct()


def _others(campaign_ids):
    return CampaignPage.objects.exclude(pk__in=campaign_ids).values("pk")


class PartnerKeyForm(WagtailAdminModelForm):
    revoke = forms.BooleanField(
        label=_("Revoke this key"),
        required=False,
        help_text=_("The partner's requests are refused from now on; this cannot be undone."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["campaigns"].queryset = scoped_campaigns(
            for_user, CampaignPage.objects.all()
        ).order_by("title")
        self.fields["campaigns"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["campaigns"].choices
        )
        if not self.instance.pk or self.instance.is_revoked:
            del self.fields["revoke"]

    def clean_callback_url(self):
        url = self.cleaned_data.get("callback_url", "")
        if url:
            check_callback_url(url)
        return url

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit=commit)


class KeyStatusPanel(Panel):
    """The key's prefix, last use, revocation and the log of its webhook deliveries."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            key = self.instance
            if not key.pk:
                return ""
            deliveries = key.deliveries.all()[:DELIVERIES_SHOWN]
            rows = format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        timezone.localtime(d.created_at).strftime("%d/%m/%Y %H:%M"),
                        d.reference,
                        d.payload.get("prescription", {}).get("status", ""),
                        d.get_state_display(),
                        d.attempts,
                        d.last_status_code or d.last_error or "",
                    )
                    for d in deliveries
                ),
            )
            never = _("never")
            return format_html(
                "<p>{} <code>{}…</code></p><p>{} {}</p>{}"
                "<h3>{}</h3><table class='listing'><thead><tr><th>{}</th><th>{}</th><th>{}</th>"
                "<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
                _("Key:"),
                key.prefix,
                _("Last used:"),
                timezone.localtime(key.last_used_at).strftime("%d/%m/%Y %H:%M")
                if key.last_used_at
                else never,
                format_html("<p><strong>{}</strong></p>", _("Revoked")) if key.is_revoked else "",
                _("Webhook deliveries"),
                _("Date"),
                _("Reference"),
                _("Stage"),
                _("State"),
                _("Attempts"),
                _("Last answer"),
                rows,
            )


class OriginPanel(Panel):
    """On a prescription's edit view: the partner system that sent it by API."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Origin"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        def is_shown(self):
            return bool(self.instance and self.instance.pk and self._origin())

        def _origin(self):
            return (
                PartnerPrescription.objects.filter(prescription_id=self.instance.pk)
                .select_related("key")
                .first()
            )

        def render_html(self, parent_context=None):
            origin = self._origin()
            if origin is None:
                return ""
            return format_html(
                "<p>{}</p>",
                _("Sent through the partners' API by %(partner)s on %(date)s.")
                % {
                    "partner": origin.key.name,
                    "date": timezone.localtime(origin.created_at).strftime("%d/%m/%Y %H:%M"),
                },
            )


add_record_panel("forms.prescription", OriginPanel, slot="origin")


class PartnerKeyPermissionHelper(PermissionHelper):
    def _in_scope(self, user, obj):
        return scoped_keys(user, PartnerKey.objects.filter(pk=obj.pk)).exists()

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and self._in_scope(user, obj)

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and self._in_scope(user, obj)

    def user_can_delete_obj(self, user, obj):
        return False  # revoked, never deleted: its prescriptions keep their origin


class PartnerKeyCreateView(CreateView):
    """The key is generated here and shown once, in the confirmation message."""

    def form_valid(self, form):
        data = form.cleaned_data
        self.instance, token = create_key(
            data["name"],
            data["campaigns"],
            contact_email=data.get("contact_email", ""),
            callback_url=data.get("callback_url", ""),
            by=self.request.user,
        )
        messages.success(
            self.request,
            _(
                "Key created for %(name)s. Copy it now, it will not be shown again: "
                "%(token)s (webhook secret: %(secret)s)"
            )
            % {"name": self.instance.name, "token": token, "secret": self.instance.webhook_secret},
        )
        return redirect(self.url_helper.get_action_url("edit", self.instance.pk))


@modeladmin_register
class PartnerKeyAdmin(ModelAdmin):
    model = PartnerKey
    menu_label = _("Partner keys")
    menu_icon = "key"
    menu_order = 290
    add_to_settings_menu = True
    create_view_class = PartnerKeyCreateView
    permission_helper_class = PartnerKeyPermissionHelper
    list_display = ("name", "prefix", "last_used_at", "revoked_at", "created_at")
    search_fields = ("name",)
    panels = [
        FieldPanel("name"),
        FieldPanel("campaigns"),
        FieldPanel("contact_email"),
        FieldPanel("callback_url"),
        FieldPanel("revoke"),
        KeyStatusPanel(heading=_("Use")),
    ]

    def get_queryset(self, request):
        return scoped_keys(request.user, super().get_queryset(request))

    def get_edit_handler(self):
        handler = super().get_edit_handler()
        handler.base_form_class = PartnerKeyForm
        return handler
