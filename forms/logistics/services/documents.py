"""The document kinds, their default French wording, and ``render_document``.

A kind names its template, its default wording and how to read its facts from
the record; generated PDFs are stored with the wording revision they used.
Other modules register more kinds with ``register``.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forms import access
from forms.enums import DocumentKind
from forms.logistics.models.documents import (
    DocumentWording,
    GeneratedDocument,
    new_verification_code,
)
from forms.logistics.services.default_wordings import (
    PROGRAMME_ISSUER,
    PROGRAMME_PLACEHOLDER,
    REFURBISHER_ISSUER,
)
from forms.logistics.services.identity import campaign_of, resolve_identity
from forms.logistics.services.pdf import render_pdf

# A second "Generate" within this delay returns the document just made.
REUSE_WITHIN = timedelta(minutes=1)
# What a default text leaves for the administration to fill: never printed.
PLACEHOLDER_MARK = "à compléter"


def sees_all_sites(user):
    """Coordinators and superusers see every site's records."""
    return access.is_programme_wide(user)


def default_permission(user, record):
    """The record's view permission, and the record's scope (forms.access)."""
    meta = record._meta
    if not user.is_active or not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
        return False
    return access.can_see(user, record)


@dataclass
class DocumentType:
    kind: str
    template_name: str
    filename_prefix: str
    model_labels: tuple  # ("forms.donorpledge",): the records this kind is made for
    facts: Any = None  # record -> dict added to the template context
    verifiable: bool = False
    permission: Any = default_permission  # (user, record) -> bool
    default_wording: dict = field(default_factory=dict)
    refusal: Any = None  # facts -> a message saying why the document cannot be issued, or None
    signed_by_programme: bool = False  # an agreement: the programme's signatory signs it

    @property
    def label(self):
        return DocumentKind(self.kind).label

    def filename(self, record):
        return f"{self.filename_prefix}-{record.reference}.pdf"


class DocumentRefused(ValueError):
    """The record does not (yet) support what the document would attest."""


REGISTRY: dict[str, DocumentType] = {}


def register(document_type):
    REGISTRY[document_type.kind] = document_type
    return document_type


def get_type(kind):
    load_kinds()
    return REGISTRY[kind]


def load_kinds():
    """The programme's own kinds register themselves on first use (that module imports
    this one to register: importing it at the top would be a circle)."""
    from forms.logistics.services import document_kinds  # noqa: F401


def wording_for(kind, campaign=None):
    """The kind's wording: ``campaign``'s own if it has one, else the shared one,
    created from the default French text on first use."""
    if campaign is not None:
        own = DocumentWording.objects.filter(kind=kind, campaign=campaign).first()
        if own is not None:
            return own
    wording = DocumentWording.objects.filter(kind=kind, campaign__isnull=True).first()
    if wording is None:
        wording = DocumentWording.objects.create(kind=kind, **get_type(kind).default_wording)
        wording.save_revision(log_action=False)
    return wording


def paragraphs(text):
    return [
        part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()
    ]


def is_default_issuer(text, default):
    return text.strip() in ("", default.strip())


WORDING_TEXTS = ("title", "intro", "body", "commitments", "signature_text", "issuer")


def programme_texts(wording, programme):
    """The wording's texts with ``{programme}`` naming the record's programme."""

    def fill(text):
        return (text or "").replace(PROGRAMME_PLACEHOLDER, programme)

    texts = SimpleNamespace(**{name: fill(getattr(wording, name)) for name in WORDING_TEXTS})
    texts.commitment_list = lambda: [
        line.strip() for line in texts.commitments.splitlines() if line.strip()
    ]
    return texts


def build_context(document_type, record, wording, version, verification_code=None, identity=None):
    if identity is None:
        identity = resolve_identity(campaign_of(record))
    facts = dict(document_type.facts(record)) if document_type.facts else {}
    # A kind issued by someone else than the programme (the refurbisher) names them.
    own_issuer = facts.pop("issuer_lines", None)
    own_missing, own_where = facts.pop("issuer_missing", []), facts.pop("issuer_where", "")
    texts = programme_texts(wording, identity.name)
    missing, where = [], ""
    if own_issuer is not None and is_default_issuer(wording.issuer, REFURBISHER_ISSUER):
        issuer_lines, logo = own_issuer, None
        missing, where = list(own_missing), own_where
    elif is_default_issuer(wording.issuer, PROGRAMME_ISSUER) or is_default_issuer(
        wording.issuer, REFURBISHER_ISSUER
    ):
        issuer_lines, logo = identity.header_lines(), identity.logo_uri()
    else:
        issuer_lines, logo = [line for line in texts.issuer.splitlines() if line.strip()], None
    if document_type.signed_by_programme or issuer_lines == identity.header_lines():
        missing = identity.missing(signatory=document_type.signed_by_programme) + missing
        where = "; ".join(part for part in (identity.where(), where) if part)
    placeholders = [
        line
        for line in (*issuer_lines, texts.intro, texts.body, texts.signature_text)
        if PLACEHOLDER_MARK in line.lower()
    ]
    context = {
        "record": record,
        "reference": record.reference,
        "wording": texts,
        "wording_version": version,
        "identity": identity,
        "programme": identity.name,
        "signatory": identity.signatory,
        "issuer_lines": issuer_lines,
        "programme_logo": logo,
        "body_paragraphs": paragraphs(texts.body),
        "commitments": texts.commitment_list(),
        "generated_at": timezone.localtime(),
        "verification_code": verification_code,
        "verification_url": (
            settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("certificate_verification", args=[verification_code])
            if verification_code
            else ""
        ),
        **facts,
    }
    if "commitments" in facts:  # the campaign's own promises, named too
        context["commitments"] = [
            line.replace(PROGRAMME_PLACEHOLDER, identity.name) for line in facts["commitments"]
        ]
    context["missing"], context["missing_where"], context["placeholders"] = (
        missing,
        where,
        placeholders,
    )
    return context


def missing_refusal(context):
    """The French message listing what to fill (and where) before the document can be
    issued without printing a placeholder, or None."""
    missing = list(context["missing"])
    if context["placeholders"]:
        missing.append(_("the wording's text still says “to be completed” (Document wordings)"))
    if not missing:
        return None
    message = _("This document cannot be generated until these are filled in: %(missing)s.") % {
        "missing": ", ".join(missing)
    }
    if context["missing_where"]:
        message += " " + _("Where: %(where)s.") % {"where": context["missing_where"]}
    return message


def recent_document(kind, record, revision):
    """The same document generated less than REUSE_WITHIN ago, or None."""
    return (
        GeneratedDocument.for_record(record)
        .filter(
            kind=kind,
            wording_revision=revision,
            created_at__gte=timezone.now() - REUSE_WITHIN,
        )
        .first()
    )


def render_document(kind, record, by=None, reuse_recent=False):
    """Render ``kind`` for ``record`` as a PDF, store it and return the
    GeneratedDocument (its PDF in the private storage: ``.pdf_bytes()``;
    ``.filename`` the name it is downloaded under).

    Refused (DocumentRefused, in French) when the record does not support it or
    when the document would print a placeholder. With ``reuse_recent``, the same
    document generated within the last minute (a second click, a double POST) is
    returned instead of a second one: the record's row is locked meanwhile."""
    document_type = get_type(kind)
    identity = resolve_identity(campaign_of(record))
    wording = wording_for(kind, identity.campaign)
    revision, version = wording.current_version()
    with transaction.atomic():
        if reuse_recent:
            type(record).objects.select_for_update().filter(pk=record.pk).first()
            recent = recent_document(kind, record, revision)
            if recent is not None:
                return recent
        code = new_verification_code() if document_type.verifiable else None
        context = build_context(document_type, record, wording, version, code, identity)
        refusal = document_type.refusal(context) if document_type.refusal else None
        refusal = refusal or missing_refusal(context)
        if refusal:
            raise DocumentRefused(refusal)
        pdf = render_pdf(document_type.template_name, context)
        issuer_lines = context["issuer_lines"]
        return GeneratedDocument.objects.create(
            kind=kind,
            record=record,
            record_reference=record.reference,
            wording=wording,
            wording_revision=revision,
            wording_version=version,
            wording_snapshot=wording.snapshot(),
            verification_code=code,
            device_count=context.get("certified_count", len(context.get("devices", ()))),
            issuer_name=issuer_lines[0][:200] if issuer_lines else "",
            filename=document_type.filename(record),
            file=ContentFile(pdf, name="document.pdf"),
            created_by=by if by is not None and by.is_authenticated else None,
        )


def can_view(user, document):
    record = document.record
    if record is None:
        return user.is_superuser
    return get_type(document.kind).permission(user, record)


def kinds_for(record):
    """The registered document types that apply to this record."""
    load_kinds()
    return [t for t in REGISTRY.values() if record._meta.label_lower in t.model_labels]
