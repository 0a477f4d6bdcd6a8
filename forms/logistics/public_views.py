"""Public pages: a certificate's authenticity, a donor's follow-up of their pledge.

Neither shows personal data: the verification page gives the date, the number
of devices and the refurbisher; the follow-up page gives counts only.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from forms.enums import DocumentKind
from forms.logistics.models.documents import GeneratedDocument, normalise_verification_code
from forms.logistics.models.donor_link import DonorFollowUpLink
from forms.logistics.services.report import programme_report_for_pledge

ROBOTS = "noindex, nofollow"


def _private(response):
    response["X-Robots-Tag"] = ROBOTS
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_safe
def certificate_verification(request, code):
    document = (
        GeneratedDocument.objects.filter(
            verification_code=normalise_verification_code(code),
            kind=DocumentKind.ERASURE_CERTIFICATE,
            device_count__gte=1,  # a certificate of no erasure attests nothing
        )
        .only("kind", "created_at", "device_count", "issuer_name", "verification_code")
        .first()
    )
    response = TemplateResponse(
        request,
        "pages/certificate_verification.html",
        {"document": document, "code": code[:40]},
        status=200 if document else 404,
    )
    return _private(response)


def _active_link(token):
    link = (
        DonorFollowUpLink.objects.active()
        .filter(token=token)
        .select_related("pledge", "pledge__campaign")
        .first()
    )
    if link is None:
        raise Http404
    return link


@never_cache
@require_safe
def donor_follow_up(request, token):
    try:
        link = _active_link(token)
    except Http404:
        return _private(TemplateResponse(request, "pages/donor_follow_up_invalid.html", status=404))
    pledge = link.pledge
    context = {
        "link": link,
        "pledge": pledge,
        "figures": programme_report_for_pledge(pledge),
        "certificates": GeneratedDocument.for_record(pledge)
        .filter(kind=DocumentKind.ERASURE_CERTIFICATE)
        .only("pk", "created_at", "device_count", "verification_code", "kind"),
    }
    return _private(TemplateResponse(request, "pages/donor_follow_up.html", context))


@never_cache
@require_safe
def donor_certificate(request, token, document_id):
    try:
        link = _active_link(token)
    except Http404:
        return _private(TemplateResponse(request, "pages/donor_follow_up_invalid.html", status=404))
    document = get_object_or_404(
        GeneratedDocument.for_record(link.pledge)
        .filter(kind=DocumentKind.ERASURE_CERTIFICATE)
        .defer(None),
        pk=document_id,
    )
    return pdf_response(document)


def pdf_response(document, inline=False):
    """The document's PDF, streamed from the private storage (never redirected to a
    URL of it: who may read it was decided by the calling view)."""
    if not document.file or not document.file.storage.exists(document.file.name):
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not inline,
        filename=document.filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
