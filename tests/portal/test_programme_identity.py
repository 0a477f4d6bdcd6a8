"""The programme's own name, address and logo on its documents; the demo's accents; a favicon."""

import io
import unicodedata

import pytest
from django.contrib.staticfiles import finders
from pypdf import PdfReader

from forms.logistics.services.documents import render_document
from portal.demo.images import draw_placeholder
from portal.models import ProgrammeSettings
from tests.factories import DonorPledgeFactory, ImageFactory

pytestmark = pytest.mark.django_db
SETTINGS_URL = "/admin/settings/portal/programmesettings/"


def pdf(document):
    reader = PdfReader(io.BytesIO(bytes(document.pdf_bytes())))
    text = "".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(unicodedata.normalize("NFKC", text).split())


def test_superusers_set_the_fallback_identity_that_documents_show(
    client, superuser, coordination_user, communication_user
):
    """The site-wide identity heads the documents of a record whose campaign has no
    identity of its own; only superusers edit it (coordinators edit their campaigns')."""
    pledge = DonorPledgeFactory()
    client.force_login(superuser)
    form = client.get(SETTINGS_URL, follow=True)
    assert form.status_code == 200 and "Nom du programme" in form.content.decode()
    logo = ImageFactory(title="Logo FACE 17")
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else SETTINGS_URL,
        {
            "name": "FACE Charente-Maritime",
            "address": "12 rue du Port\n17000 La Rochelle",
            "siret": "443 217 378 00019",
            "signatory_name": "Claire Morel",
            "signatory_role": "Directrice",
            "email": "ordis@face17.example",
            "phone": "05 46 00 00 00",
            "logo": logo.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reader, text = pdf(render_document("donation_agreement", pledge))
    for expected in (
        "FACE Charente-Maritime",
        "12 rue du Port",
        "17000 La Rochelle",
        "SIRET 443 217 378 00019",
        "ordis@face17.example",
        "Claire Morel, Directrice",
    ):
        assert expected in text
    assert "Adresse à compléter" not in text
    assert len(reader.pages[0].images) == 1  # the logo

    for person in (coordination_user, communication_user):
        client.force_login(person)
        denied = client.get(SETTINGS_URL, follow=True)
        assert denied.status_code == 403 or "Nom du programme" not in denied.content.decode()


def test_a_wording_with_its_own_issuer_keeps_it(coordination_user):
    from forms.logistics.services.documents import wording_for

    ProgrammeSettings.objects.update_or_create(
        pk=ProgrammeSettings.load().pk, defaults={"name": "Programme 40"}
    )
    wording = wording_for("donation_agreement")
    wording.issuer = "Atelier Alpi\nSIRET 123 456 789 00012"
    wording.save()
    _reader, text = pdf(render_document("donation_agreement", DonorPledgeFactory()))
    assert "Atelier Alpi" in text and "Programme 40" not in text.split("Convention")[0]


def test_demo_pictures_keep_their_accents():
    accented = draw_placeholder("Crèche à Dax", [31, 63, 143], [240, 120]).getvalue()
    plain = draw_placeholder("Creche a Dax", [31, 63, 143], [240, 120]).getvalue()
    assert accented != plain


def test_a_favicon_served_from_the_site(client, home):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/content/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("content/favicon.svg")
