"""An erasure certificate attests at least one successful erasure."""

import pytest

from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.services.devices import receive_devices
from forms.logistics.services.documents import DocumentRefused, render_document
from tests.factories import DonorPledgeFactory
from tests.forms.test_documents import erased

pytestmark = pytest.mark.django_db


def test_no_certificate_without_an_erased_device(client, coordination_user):
    pledge = DonorPledgeFactory()
    receive_devices({"laptop": 2}, pledge=pledge)  # received, nothing erased yet
    with pytest.raises(DocumentRefused):
        render_document("erasure_certificate", pledge)
    client.force_login(coordination_user)
    url = f"/admin/documents-programme/erasure_certificate/donorpledge/{pledge.pk}/"
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "aucun équipement" in response.content.decode().lower()
    assert not GeneratedDocument.objects.exists()


def test_a_stored_certificate_of_no_device_does_not_verify(client):
    pledge = DonorPledgeFactory()
    erased(receive_devices({"laptop": 1}, pledge=pledge))
    document = render_document("erasure_certificate", pledge)
    assert client.get(f"/verification/{document.verification_code}/").status_code == 200
    # One issued before this rule, for 0 devices, is no proof of anything.
    GeneratedDocument.objects.filter(pk=document.pk).update(device_count=0)
    assert client.get(f"/verification/{document.verification_code}/").status_code == 404
