"""The programme's document kinds and the facts each one reads from its record."""

from django.utils.translation import gettext as _

from forms.enums import DocumentKind, ErasureResult
from forms.logistics.services.default_wordings import DEFAULT_WORDINGS
from forms.logistics.services.documents import DocumentType, paragraphs, register
from forms.logistics.services.identity import format_siret
from forms.site_rules import transfer_agreement_refusal


def pledge_facts(pledge):
    equipment = [
        (label, getattr(pledge, name))
        for name, label in (
            ("laptops", "Ordinateurs portables"),
            ("desktops", "Ordinateurs fixes"),
            ("screens", "Écrans"),
            ("tablets", "Tablettes"),
            ("smartphones", "Smartphones"),
            ("other_devices", "Autres équipements"),
        )
        if getattr(pledge, name)
    ]
    facts = {"donor_name": pledge.organisation_name, "pledge": pledge, "equipment": equipment}
    campaign = pledge.campaign
    if campaign is not None and campaign.donation_agreement_wording.strip():
        # The campaign's own promises to its donors replace the programme's.
        facts["commitments"] = paragraphs(campaign.donation_agreement_wording)
    return facts


def refurbisher_lines(organisation):
    """The refurbisher's header on its certificate, and what is missing from it."""
    town = " ".join(p for p in (organisation.postcode, organisation.city) if p).strip()
    missing = []
    if not organisation.siret.strip():
        missing.append(_("the SIRET of the refurbisher “%(name)s”") % {"name": organisation.name})
    if not organisation.address.strip() or not town:
        missing.append(_("the address of the refurbisher “%(name)s”") % {"name": organisation.name})
    lines = [organisation.name, organisation.address, town]
    if organisation.siret.strip():
        lines.append(f"SIRET {format_siret(organisation.siret)}")
    return [line for line in lines if line and line.strip()], missing


def erasure_facts(source):
    """A pledge or a batch: its devices whose erasure was recorded, how many of the
    devices received were erased, and the refurbisher(s) who attest it."""
    devices = list(
        source.devices.exclude(erasure_date__isnull=True, erasure_method="")
        .select_related("refurbisher")
        .order_by("inventory_code")
    )
    donor = getattr(source, "organisation_name", None) or getattr(source, "supplier_name", "")
    refurbishers = {d.refurbisher_id: d.refurbisher for d in devices if d.refurbisher_id}
    lines, missing = [], []
    for organisation in sorted(refurbishers.values(), key=lambda o: o.name):
        own_lines, own_missing = refurbisher_lines(organisation)
        lines += own_lines
        missing += own_missing
    if devices and not refurbishers:
        missing.append(_("the refurbisher of the erased devices (each device's “Refurbisher”)"))
    return {
        "donor_name": donor,
        "devices": devices,
        "received_count": source.devices.count(),
        "certified_count": sum(1 for d in devices if d.erasure_result == ErasureResult.SUCCESS),
        "refurbishers": list(refurbishers.values()),
        "issuer_lines": lines,
        "issuer_missing": missing,
        "issuer_where": _("Refurbishing chain (the refurbisher's SIRET and address)"),
    }


def refuse_without_erased_device(facts):
    """A certificate attests erasures: with no device successfully erased, there is none."""
    if not facts.get("certified_count"):
        return _(
            "No device of this record has a successful erasure recorded: there is nothing to certify yet."
        )
    return None


def lot_facts(lot):
    devices = list(lot.devices.order_by("inventory_code"))
    return {"site": lot.site, "devices": devices, "lot": lot}


def refuse_unqualified_site(facts):
    """A transfer agreement goes only to a site that meets the prerequisites and has
    signed its agreement, and never to a site that left the programme."""
    return transfer_agreement_refusal(facts["site"])


def loan_facts(loan):
    return {"loan": loan, "device": loan.device, "borrower": loan.borrower_display}


def _register(
    kind,
    template,
    prefix,
    model_labels,
    facts=None,
    verifiable=False,
    refusal=None,
    signed_by_programme=False,
):
    register(
        DocumentType(
            signed_by_programme=signed_by_programme,
            kind=kind,
            template_name=template,
            filename_prefix=prefix,
            model_labels=model_labels,
            facts=facts,
            verifiable=verifiable,
            refusal=refusal,
            default_wording=DEFAULT_WORDINGS[kind],
        )
    )


_register(
    DocumentKind.DONATION_AGREEMENT,
    "documents/donation_agreement.html",
    "convention-de-don",
    ("forms.donorpledge",),
    pledge_facts,
    signed_by_programme=True,
)
_register(
    DocumentKind.ERASURE_CERTIFICATE,
    "documents/erasure_certificate.html",
    "attestation-effacement",
    ("forms.donorpledge", "forms.devicebatch"),
    erasure_facts,
    verifiable=True,
    refusal=refuse_without_erased_device,
)
_register(
    DocumentKind.TRANSFER_AGREEMENT,
    "documents/transfer_agreement.html",
    "convention-de-cession",
    ("forms.lot",),
    lot_facts,
    refusal=refuse_unqualified_site,
    signed_by_programme=True,
)
_register(
    DocumentKind.PRESCRIPTION_SHEET,
    "documents/prescription_sheet.html",
    "fiche-de-prescription",
    ("forms.prescription",),
)
_register(
    DocumentKind.HANDOVER_SHEET,
    "documents/handover_sheet.html",
    "fiche-de-remise",
    ("forms.handoversheet",),
)
_register(
    DocumentKind.LOAN_AGREEMENT,
    "documents/loan_agreement.html",
    "convention-de-pret",
    ("forms.loan",),
    loan_facts,
    signed_by_programme=True,
)
