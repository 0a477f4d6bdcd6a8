"""The allocation committee's admin views (mounted by forms/wagtail_hooks/committee.py):
the campaigns with a committee, then one campaign's waiting prescriptions, ranked,
with the decision of a meeting recorded for the ones ticked."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from content.models import CampaignPage
from forms.enums import CommitteeDecision
from forms.kinds.prescription import committee


class DecisionForm(forms.Form):
    prescriptions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Prescriptions"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one prescription.")},
    )
    meeting_date = forms.DateField(
        label=gettext_lazy("Date of the committee meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=CommitteeDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for a refusal."),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prescriptions"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == CommitteeDecision.REFUSED and not cleaned.get("reason"):
            self.add_error("reason", _("Give the reason for the committee's refusal."))
        return cleaned


def committee_index(request):
    campaigns = list(committee.committee_campaigns(request.user))
    if not campaigns:
        raise PermissionDenied
    if len(campaigns) == 1:
        return redirect("forms_committee_campaign", campaigns[0].pk)
    return TemplateResponse(request, "forms/admin/committee_index.html", {"campaigns": campaigns})


def household_display(prescription):
    return (
        ngettext("%(count)s adult", "%(count)s adults", prescription.household_adults)
        % {"count": prescription.household_adults}
        + ", "
        + ngettext("%(count)s child", "%(count)s children", prescription.household_children)
        % {"count": prescription.household_children}
    )


def committee_campaign(request, campaign_id):
    campaign = get_object_or_404(CampaignPage, pk=campaign_id)
    if not committee.may_decide(request.user, campaign):
        raise PermissionDenied
    waiting = committee.waiting_prescriptions(request.user, campaign)
    form = DecisionForm(
        request.POST or None,
        queryset=waiting,
        initial={"meeting_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["prescriptions"])
        count = committee.record_decisions(
            chosen, data["decision"], data["meeting_date"], data["reason"], by=request.user
        )
        messages.success(
            request,
            ngettext(
                "Decision “%(decision)s” of the committee of %(date)s recorded for "
                "%(count)s prescription: %(references)s.",
                "Decision “%(decision)s” of the committee of %(date)s recorded for "
                "%(count)s prescriptions: %(references)s.",
                count,
            )
            % {
                "decision": CommitteeDecision(data["decision"]).label,
                "date": data["meeting_date"].strftime("%d/%m/%Y"),
                "count": count,
                "references": ", ".join(p.reference for p in chosen),
            },
        )
        return redirect("forms_committee_campaign", campaign.pk)
    ticked = {str(value) for value in form["prescriptions"].value() or ()}
    rows = [
        {
            "rank": rank,
            "prescription": prescription,
            "household": household_display(prescription),
            "ticked": str(prescription.pk) in ticked,
        }
        for rank, prescription in enumerate(waiting, start=1)
    ]
    return TemplateResponse(
        request,
        "forms/admin/committee_campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "form": form,
            "other_campaigns": committee.committee_campaigns(request.user).exclude(pk=campaign.pk),
        },
    )
