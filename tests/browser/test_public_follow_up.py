"""Public pages that donors, prescribers and partners open from a link: accessible in Chromium."""

import pytest

from forms.logistics.models.donor_link import DonorFollowUpLink
from forms.logistics.services.devices import receive_devices
from forms.logistics.services.documents import render_document
from tests.factories import (
    DonorPledgeFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    make_site_tree,
)
from tests.forms.test_documents import erased

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_verification_donor_and_prescriber_pages(page, live_server, axe):
    make_site_tree()
    pledge = DonorPledgeFactory(organisation_name="Atlantique Logistique")
    erased(receive_devices({"laptop": 2}, pledge=pledge))
    certificate = render_document("erasure_certificate", pledge)
    link = DonorFollowUpLink.objects.create(pledge=pledge, email="sophie@example.com")
    prescription = PrescriptionFactory(site=MediationSiteFactory(nom="Espace Mont-de-Marsan"))

    page.goto(f"{live_server.url}/verification/{certificate.verification_code}/")
    assert "authentique" in page.inner_text("main")
    axe(page)
    page.goto(f"{live_server.url}/verification/AAAA-BBBB-CCCC-DDDD/")
    axe(page)

    page.goto(f"{live_server.url}/suivi-don/{link.token}/")
    assert "Atlantique Logistique" in page.inner_text("main")
    axe(page)

    page.goto(live_server.url + prescription.follow_url())
    main = page.inner_text("main")
    assert prescription.reference in main and prescription.beneficiary_last_name not in main
    axe(page)
