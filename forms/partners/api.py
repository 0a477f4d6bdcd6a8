"""The partners' API (django-ninja): send a prescription, follow it, list what changed.

``POST /api/partners/v1/prescriptions/`` checks the answers with the form's own
definition and step forms and creates the prescription through the one creation
service (``forms.engine.headless``), as the public wizard does. Keys are bearer
tokens (``forms.partners.models.PartnerKey``); each key is throttled, reads only
the prescriptions it sent and sends only to its campaigns. Bodies are never logged.
"""

import hashlib
import json
import uuid
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status
from ninja.security import HttpBearer

from content.models import CampaignPage
from forms.engine.headless import submit_answers
from forms.engine.models.form_page import FormPage
from forms.kinds.prescription.models import Prescription
from forms.partners.models import PartnerKey, PartnerPrescription
from forms.partners.status import status_json, status_path
from portal.ratelimit import retry_after

LIST_LIMIT = 100
LAST_USED_PRECISION = 60  # seconds: ``last_used_at`` is written at most once a minute


class Throttled(Exception):  # noqa: N818 - an HTTP answer, not an error of ours
    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds


class KeyAuth(HttpBearer):
    openapi_description = "Clé de partenaire : `Authorization: Bearer osk_…`"

    def authenticate(self, request, token):
        key = PartnerKey.objects.for_raw_key(token)
        if key is None:
            return None
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
        limit, period = settings.PARTNER_API_RATE_LIMIT
        seconds = retry_after("partner-api", key.pk, limit, period)
        if seconds:
            raise Throttled(seconds)
        return key


api = NinjaAPI(
    title="API partenaires – Ordinateurs solidaires",
    version="1",
    description=(
        "Les logiciels des prescripteurs (services sociaux, France Travail, services "
        "d’orientation) envoient une prescription avec les mêmes contrôles que le "
        "formulaire public, puis en suivent les étapes jusqu’à la remise de l’ordinateur. "
        "Chaque appel porte une clé de partenaire (`Authorization: Bearer …`)."
    ),
    auth=KeyAuth(),
    urls_namespace="partners-api",
    docs_url=None,
    openapi_url="/openapi.json",
)


# Schemas (what the OpenAPI document describes) ---------------------------
class Created(Schema):
    reference: str = Field(description="Référence de la prescription, ex. PRE-2026-00042.")
    status: str = Field(description="Statut technique, `received` à la création.")
    status_url: str = Field(description="Adresse de suivi de la prescription.")


class Errors(Schema):
    errors: dict[str, list[str]] = Field(
        description="Pour chaque nom technique de champ, les messages en français. "
        "`__all__` : une règle qui ne concerne aucun champ en particulier."
    )


class Detail(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class Stage(Schema):
    status: str = Field(description="Statut technique de l’étape.")
    label: str = Field(description="Libellé de l’étape, tel que la page de suivi l’affiche.")
    state: str = Field(description="`done` (franchie), `current` (en cours) ou `upcoming`.")
    at: datetime | None = Field(description="Date à laquelle l’étape a été atteinte.")


class Closed(Schema):
    status: str = Field(description="`refused`, `withdrawn` ou `expired`.")
    label: str = Field(description="Libellé de la clôture.")
    at: datetime | None = Field(description="Date de clôture.")
    reason: str = Field(description="Motif de la clôture, s’il y en a un.")


class Follow(Schema):
    reference: str = Field(description="Référence de la prescription.")
    campaign: str | None = Field(description="Identifiant (slug) de la campagne.")
    status: str = Field(description="Statut technique actuel.")
    status_label: str = Field(description="Statut actuel en français.")
    status_url: str = Field(description="Adresse de suivi de la prescription.")
    stages: list[Stage] = Field(description="Étapes, dans l’ordre du parcours.")
    closed: Closed | None = Field(description="Clôture sans ordinateur, le cas échéant.")


class Listing(Schema):
    prescriptions: list[Follow] = Field(
        description="Prescriptions changées, plus anciennes d’abord."
    )
    next_since: datetime | None = Field(
        description="À passer en `since` pour la page suivante (vide : tout est lu)."
    )


SEND_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["campaign"],
                "properties": {
                    "campaign": {
                        "type": "string",
                        "description": "Identifiant (slug) de la campagne destinataire.",
                    }
                },
                "additionalProperties": True,
                "description": (
                    "Les réponses par nom technique de champ, tels que la définition du "
                    "formulaire de prescription de la campagne les donne "
                    "(`/api/v2/pages/?type=forms.FormPage&fields=form_definition`)."
                ),
            }
        }
    },
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": (
        "Une requête renvoyée avec la même clé rend la première réponse et ne crée rien de plus."
    ),
}


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(
        request, {"detail": _("Missing, unknown or revoked partner key.")}, status=401
    )


@api.exception_handler(Throttled)
def throttled(request, exc):
    response = api.create_response(
        request, {"detail": _("Too many requests: try again later.")}, status=429
    )
    response["Retry-After"] = str(exc.seconds)
    return response


def _read_body(request):
    """(data, error answer): the JSON object of the request, within the size limit."""
    limit = settings.PARTNER_API_MAX_BODY
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > limit or len(request.body) > limit:
        return None, (413, {"detail": _("The request body is too large.")})
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None, (400, {"detail": _("The request body is not valid JSON.")})
    if not isinstance(data, dict):
        return None, (400, {"detail": _("The request body must be a JSON object.")})
    return data, None


def _prescription_page(campaign):
    page = FormPage.objects.live().child_of(campaign).filter(kind="prescription").first()
    if page is None or not page.definition.steps or page.definition.problem_list:
        return None
    return page


def _token(key, request):
    """The walk token of this request: derived from the Idempotency-Key when there is
    one (the same key never creates twice), new otherwise."""
    idempotency = request.headers.get("Idempotency-Key", "")[:200]
    if not idempotency:
        return f"api{uuid.uuid4().hex}"
    return hashlib.sha256(f"partner:{key.pk}:{idempotency}".encode()).hexdigest()


@api.post(
    "/prescriptions/",
    response={201: Created, 400: Errors | Detail, 403: Detail, 413: Detail, 429: Detail},
    url_name="prescriptions",
    summary="Envoyer une prescription",
    description=(
        "Mêmes contrôles que le formulaire public (définition du formulaire, étapes, "
        "conditions, règles entre étapes) et même création. 201 : la prescription est "
        "créée ; 400 : un message par champ ; 403 : campagne non autorisée pour cette clé."
    ),
    openapi_extra={"requestBody": SEND_BODY, "parameters": [IDEMPOTENCY_PARAMETER]},
)
def send_prescription(request):
    key = request.auth
    data, error = _read_body(request)
    if error:
        return Status(*error)
    slug = data.pop("campaign", None)
    if not isinstance(slug, str) or not slug:
        return Status(400, {"errors": {"campaign": [_("This field is required.")]}})
    campaign = CampaignPage.objects.live().filter(slug=slug[:255]).first()
    if campaign is None or not key.may_send_to(campaign):
        return Status(403, {"detail": _("This key may not send prescriptions to this campaign.")})
    page = _prescription_page(campaign)
    if page is None:
        return Status(400, {"errors": {"campaign": [_("This campaign takes no prescriptions.")]}})
    with transaction.atomic():
        submission, created, errors = submit_answers(page, data, _token(key, request))
        if errors:
            return Status(400, {"errors": errors})
        if created:
            PartnerPrescription.objects.create(key=key, prescription_id=submission.record_id)
    prescription = Prescription.objects.only("reference", "status").get(pk=submission.record_id)
    created_answer = {
        "reference": prescription.reference,
        "status": prescription.status,
        "status_url": request.build_absolute_uri(status_path(prescription.reference)),
    }
    return Status(201, created_answer)


def _with_absolute_url(request, data):
    data["status_url"] = request.build_absolute_uri(data["status_url"])
    return data


@api.get(
    "/prescriptions/{reference}/",
    response={200: Follow, 404: Detail, 429: Detail},
    url_name="prescription_status",
    summary="Suivre une prescription",
    description="Les étapes que la page de suivi du prescripteur affiche, avec leurs dates. "
    "Une clé ne lit que les prescriptions qu’elle a envoyées.",
)
def prescription_status(request, reference: str):
    prescription = (
        Prescription.objects.filter(reference=reference[:20], partner_origin__key=request.auth)
        .select_related("campaign")
        .prefetch_related("status_changes")
        .first()
    )
    if prescription is None:
        return Status(404, {"detail": _("No prescription of this key has this reference.")})
    return Status(200, _with_absolute_url(request, status_json(prescription)))


@api.get(
    "/prescriptions/",
    response={200: Listing, 400: Errors, 429: Detail},
    url_name="prescriptions_since",
    summary="Prescriptions changées depuis une date",
    description=(
        f"Les prescriptions de la clé dont l’étape a changé après `since` (ISO 8601), "
        f"{LIST_LIMIT} au plus par page, les plus anciennes d’abord."
    ),
)
def prescriptions_since(request, since: str = ""):
    origins = PartnerPrescription.objects.filter(key=request.auth)
    if since:
        moment = parse_datetime(since.replace(" ", "+"))
        if moment is None:
            return Status(400, {"errors": {"since": [_("Enter a date and time (ISO 8601).")]}})
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        origins = origins.filter(changed_at__gt=moment)
    page = list(
        origins.select_related("prescription__campaign")
        .prefetch_related("prescription__status_changes")
        .order_by("changed_at", "pk")[: LIST_LIMIT + 1]
    )
    more = len(page) > LIST_LIMIT
    page = page[:LIST_LIMIT]
    listing = {
        "prescriptions": [_with_absolute_url(request, status_json(o.prescription)) for o in page],
        "next_since": page[-1].changed_at if more else None,
    }
    return Status(200, listing)
