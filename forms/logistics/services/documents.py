"""The document kinds, their default French wording, and ``render_document``.

A kind names its template, its default wording and how to read its facts from
the record; generated PDFs are stored with the wording revision they used.
Other modules register more kinds with ``register``.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from forms import access
from forms.enums import DocumentKind
from forms.logistics.models.documents import (
    DocumentWording,
    GeneratedDocument,
    new_verification_code,
)
from forms.logistics.services.default_wordings import PROGRAMME_ISSUER
from forms.logistics.services.pdf import render_pdf
from portal.programme import document_header


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


def wording_for(kind):
    """The kind's wording, created from the default French text on first use."""
    wording = DocumentWording.objects.filter(kind=kind).first()
    if wording is None:
        wording = DocumentWording.objects.create(kind=kind, **get_type(kind).default_wording)
        wording.save_revision(log_action=False)
    return wording


def paragraphs(text):
    return [
        part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()
    ]


def issuer(wording):
    """(header lines, logo): the programme's own (ProgrammeSettings, editable in the
    admin) unless the wording names another issuer, such as a refurbisher."""
    text = wording.issuer.strip()
    if text in ("", PROGRAMME_ISSUER.strip()):
        return document_header()
    return [line for line in text.splitlines() if line.strip()], None


def build_context(document_type, record, wording, version, verification_code=None):
    facts = document_type.facts(record) if document_type.facts else {}
    issuer_lines, logo = issuer(wording)
    return {
        "record": record,
        "reference": record.reference,
        "wording": wording,
        "wording_version": version,
        "issuer_lines": issuer_lines,
        "programme_logo": logo,
        "body_paragraphs": paragraphs(wording.body),
        "commitments": wording.commitment_list(),
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


def render_document(kind, record, by=None):
    """Render ``kind`` for ``record`` as a PDF, store it and return the
    GeneratedDocument (``.pdf`` holds the bytes, ``.filename`` its name)."""
    document_type = get_type(kind)
    wording = wording_for(kind)
    revision, version = wording.current_version()
    code = new_verification_code() if document_type.verifiable else None
    context = build_context(document_type, record, wording, version, code)
    refusal = document_type.refusal(context) if document_type.refusal else None
    if refusal:
        raise DocumentRefused(refusal)
    pdf = render_pdf(document_type.template_name, context)
    issuer_lines = context["issuer_lines"]
    with transaction.atomic():
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
            pdf=pdf,
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
