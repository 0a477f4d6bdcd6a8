"""A handover form opened from a prescription (``?prescription=<reference>``, the link
of the prescription's edit view and of the site's dashboard) arrives filled with
what is known, and sends the staff back to the prescription once recorded."""

from urllib.parse import urlencode

from django.utils.translation import gettext as _
from wagtail.models import Page

from forms.access import scope
from forms.engine.kinds import Prefill
from forms.engine.models.form_page import FormPage
from forms.enums import Situation, SocialStatus
from forms.kinds.handover.signals import known_answers
from forms.kinds.prescription.models import Prescription

PRESCRIPTION_PARAM = "prescription"

SOCIAL_STATUS_OF_SITUATION = {
    Situation.JOB_SEEKER: SocialStatus.WITHOUT_EMPLOYMENT,
    Situation.RSA: SocialStatus.WITHOUT_EMPLOYMENT,
    Situation.STUDENT: SocialStatus.IN_SCHOOL,
    Situation.RETIRED: SocialStatus.RETIRED,
    Situation.EMPLOYED: SocialStatus.EMPLOYED,
}


def handover_form_urls():
    """{campaign id or None: url} of the live handover forms (two queries); None holds
    the first form, for a prescription whose campaign has none."""
    pages = list(FormPage.objects.live().public().filter(kind="handover").order_by("path"))
    parents = dict(
        Page.objects.filter(path__in=[page.path[: -Page.steplen] for page in pages]).values_list(
            "path", "pk"
        )
    )
    urls = {}
    for page in pages:
        url = page.get_url()
        urls.setdefault(parents.get(page.path[: -Page.steplen]), url)
        urls.setdefault(None, url)
    return urls


def handover_url(prescription, urls=None):
    """The handover form of the prescription's campaign, opened for it (or "")."""
    urls = handover_form_urls() if urls is None else urls
    url = urls.get(prescription.campaign_id) or urls.get(None)
    if not url:
        return ""
    return f"{url}?{urlencode({PRESCRIPTION_PARAM: prescription.reference})}"


def from_prescription(request):
    """The answers known from the prescription named in the link, if the person may see
    it and it is still open; None otherwise (the form then opens blank)."""
    reference = request.GET.get(PRESCRIPTION_PARAM, "")[:20].strip().upper()
    if not reference:
        return None
    prescription = (
        scope(request.user, Prescription.objects.open())
        .filter(reference=reference)
        .select_related("site")
        .first()
    )
    if prescription is None:
        return None
    initial = {"prescription": prescription.reference, "site": prescription.site_id}
    if prescription.prescriber_kind:
        initial["prescriber_kind"] = prescription.prescriber_kind
    if prescription.situation in SOCIAL_STATUS_OF_SITUATION:
        initial["social_status"] = str(SOCIAL_STATUS_OF_SITUATION[prescription.situation])
    initial.update(known_answers(prescription))
    return Prefill(
        initial=initial,
        return_url=prescription.admin_url(),
        done_message=_("Handover sheet %(reference)s recorded for prescription %(prescription)s."),
        done_values={"prescription": prescription.reference},
    )
