"""The prescriber's private follow page, and the admin actions on a prescription for its
site's staff: remind a person who does not show up, revoke the follow link."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from forms.access import can_access
from forms.kinds.prescription.follow import can_remind_person, follow_stages, remind_person
from forms.kinds.prescription.models import Prescription


def _prescription_for(request, pk):
    if not request.user.has_perm("forms.change_prescription"):
        raise PermissionDenied
    prescription = get_object_or_404(Prescription.objects.select_related("site"), pk=pk)
    if not can_access(request.user, prescription):
        raise PermissionDenied
    return prescription


def remind_person_view(request, pk):
    prescription = _prescription_for(request, pk)
    if not can_remind_person(prescription):
        messages.error(request, _("A reminder is sent only to a person the site expects."))
        return redirect(prescription.admin_url())
    if request.method == "POST":
        remind_person(prescription, by=request.user)
        if prescription.beneficiary_email:
            done = _("A reminder was sent to the person.")
        else:
            done = _("The person has no email address: the prescriber was asked to remind them.")
        messages.success(request, done)
        return redirect(prescription.admin_url())
    return TemplateResponse(
        request, "forms/admin/remind_person.html", {"prescription": prescription}
    )


def revoke_follow_link_view(request, pk):
    prescription = _prescription_for(request, pk)
    if request.method == "POST":
        prescription.revoke_follow_link(by=request.user)
        messages.success(
            request,
            _(
                "The prescriber's follow link no longer works. Their next email will carry a new one."
            ),
        )
        return redirect(prescription.admin_url())
    return TemplateResponse(
        request, "forms/admin/revoke_follow_link.html", {"prescription": prescription}
    )


def prescription_follow_view(request, token):
    """The prescriber's private follow-up page: the reference, the first name's initial
    and the stages. The link expires after closing and staff can revoke it."""
    prescription = (
        Prescription.objects.select_related("site", "campaign")
        .prefetch_related("status_changes")
        .filter(follow_token=token)
        .first()
    )
    if prescription is None or not prescription.follow_link_is_active():
        response = TemplateResponse(request, "pages/prescription_follow_invalid.html", status=404)
    else:
        stages, closed = follow_stages(prescription)
        response = TemplateResponse(
            request,
            "pages/prescription_follow.html",
            {"prescription": prescription, "stages": stages, "closed": closed},
        )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
