"""The personal-data purge also removes the generated PDFs that name the person."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forms.kinds.prescription.models import Prescription
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.services.documents import render_document
from tests.factories import MediationSiteFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db


def test_purge_removes_prescription_sheets_of_anonymised_prescriptions(
    django_capture_on_commit_callbacks,
):
    site = MediationSiteFactory()
    now = timezone.now()
    old = PrescriptionFactory(
        site=site,
        status="refused",
        closed_at=now - timedelta(days=800),
        beneficiary_last_name="Diallo",
    )
    recent = PrescriptionFactory(site=site, status="refused", closed_at=now - timedelta(days=5))
    old_sheet = render_document("prescription_sheet", old)
    recent_sheet = render_document("prescription_sheet", recent)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data")
    assert not GeneratedDocument.objects.filter(pk=old_sheet.pk).exists()
    assert GeneratedDocument.objects.filter(pk=recent_sheet.pk).exists()
    # ... and their files, once the purge is committed (the recent one's stays)
    storage = old_sheet.file.storage
    assert not storage.exists(old_sheet.file.name)
    assert storage.exists(recent_sheet.file.name)
    # A sheet left behind by an earlier purge (before this rule) goes on the next run.
    legacy = render_document("prescription_sheet", recent)
    Prescription.objects.filter(pk=recent.pk).update(anonymised_at=now)
    call_command("purge_personal_data")
    assert not GeneratedDocument.objects.filter(pk=legacy.pk).exists()
