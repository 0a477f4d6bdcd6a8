"""Each demo programme heads its own records' documents: a FACE pledge's donation
agreement is FACE's, Lorient's loan agreement Défis', never another programme's
nor the site-wide fallback's."""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from content.models import CampaignPage
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.models.loan import Loan
from forms.logistics.models.lot import Lot
from forms.logistics.services.documents import render_document
from portal.demo.fixtures import read_fixture
from portal.demo.programme import DEMO_PROGRAMME
from tests.portal.test_demo import demo  # noqa: F401 (the demo, loaded once for the class)

pytestmark = pytest.mark.django_db
CAMPAIGNS = read_fixture("campaigns.json")["campaigns"]
IDENTITIES = {item["slug"]: item["programme"]["identity"] for item in CAMPAIGNS}
# One document of each campaign's records, the first kind of record it has.
DOCUMENTS = (
    (DonorPledge, "donation_agreement"),
    (Loan, "loan_agreement"),
    (Lot, "transfer_agreement"),
    (Prescription, "prescription_sheet"),
)


def pdf_text(document):
    pages = PdfReader(io.BytesIO(bytes(document.pdf_bytes()))).pages
    return " ".join(
        unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pages)).split()
    )


@pytest.mark.usefixtures("demo")
class TestEachDemoProgrammeHeadsItsDocuments:
    @pytest.mark.parametrize("slug", sorted(IDENTITIES))
    def test_a_record_s_document_names_its_programme_and_no_other(self, slug):
        campaign = CampaignPage.objects.get(slug=slug)
        kind, record = next(
            (kind, first)
            for model, kind in DOCUMENTS
            if (first := model.objects.filter(campaign=campaign).order_by("pk").first())
        )
        text = pdf_text(render_document(kind, record))
        identity = IDENTITIES[slug]
        for expected in (identity["name"], identity["address"].splitlines()[-1]):
            assert expected in text, (slug, kind, expected)
        others = [other["name"] for key, other in IDENTITIES.items() if key != slug]
        assert not [name for name in others if name in text], (slug, kind)
        assert DEMO_PROGRAMME["name"] not in text and "à compléter" not in text

    def test_a_face_pledge_s_donation_agreement_is_face_s(self):
        pledge = DonorPledge.objects.filter(campaign__slug="mon-ordi-est-une-chance").first()
        text = pdf_text(render_document("donation_agreement", pledge))
        assert "Entre le donateur désigné ci-dessous et FACE Charente-Maritime" in text
        assert "Pour FACE Charente-Maritime Claire Morel, Directrice" in text
        assert "Mont-de-Marsan" not in text and "Ordinateurs solidaires (démonstration)" not in text

    def test_the_demo_s_certificates_name_their_refurbisher(self):
        certificates = GeneratedDocument.objects.filter(kind="erasure_certificate")
        assert certificates.exists()
        for certificate in certificates:
            text = pdf_text(certificate)
            assert "SIRET" in text and "à compléter" not in text
            assert "machines effacées sur" in text
