"""The admin import's upload is streamed to the private storage in chunks: a large
file is never held in memory, and the size limit is enforced as the file is written
(whatever size the upload declared), with the French message and nothing stored."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import reverse

from content.admin_views import MediationSiteImportView
from portal import import_jobs
from portal.enums import ImportKind
from portal.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = b"id;nom;commune;code_postal;adresse;latitude;longitude\n"
ROW = b"lieu-x;Espace num\xc3\xa9rique;Dax;40100;1 rue Neuve;43.7;-1.05\n"
WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def stored_files():
    storage = import_jobs.private_storage()
    if not storage.exists(import_jobs.FOLDER):
        return []
    return storage.listdir(import_jobs.FOLDER)[1]


def sites_file(size):
    return HEADER + ROW * (size // len(ROW))


def test_an_oversized_upload_is_refused_in_french_and_nothing_is_stored(
    client, coordination_user, monkeypatch
):
    monkeypatch.setattr(import_jobs, "MAX_UPLOAD_SIZE", 4000)
    before = stored_files()
    client.force_login(coordination_user)
    response = client.post(
        reverse("content_mediationsite:import"),
        {"import_file": SimpleUploadedFile("lieux.csv", sites_file(10_000))},
    )
    assert response.status_code == 400
    assert "Ce fichier est trop volumineux (50 Mo au maximum)." in response.text
    assert not ImportJob.objects.exists() and stored_files() == before


def test_the_limit_holds_while_streaming_whatever_size_the_upload_declared(coordination_user):
    """An upload whose declared size is small but whose content is not: the chunks
    are counted as they are written, the file is refused, nothing stays stored."""
    before = stored_files()
    upload = SimpleUploadedFile("lieux.csv", sites_file(200_000))
    upload.size = 100  # what the request said
    with pytest.raises(import_jobs.UploadTooLarge) as refused:
        import_jobs.store_upload(upload, "lieux.csv", limit=50_000)
    assert str(refused.value) == "Ce fichier est trop volumineux (50 Mo au maximum)."
    assert stored_files() == before
    # under the limit, the same upload is stored whole
    name = import_jobs.store_upload(upload, "lieux.csv", limit=300_000)
    with import_jobs.private_storage().open(name, "rb") as handle:
        assert handle.read() == sites_file(200_000)
    import_jobs.private_storage().delete(name)


@override_settings(TASKS=WORKER)  # the job waits for the worker: only the upload is measured
def test_a_large_upload_goes_to_storage_without_being_read_into_memory(coordination_user):
    """12 MB through the upload view: Django keeps the upload on disk, the view reads
    its header line and streams it to storage; its memory never holds the file."""
    data = sites_file(12 * 1024 * 1024)
    request = RequestFactory().post(
        reverse("content_mediationsite:import"),
        {"import_file": SimpleUploadedFile("lieux.csv", data, content_type="text/csv")},
    )
    request.user = coordination_user
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = MediationSiteImportView.as_view()(request)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.kind == ImportKind.SITES
    assert import_jobs.private_storage().size(job.file_name) == len(data)
    assert peak < 3 * 1024 * 1024, peak  # a few chunks, not the 12 MB file
    import_jobs.private_storage().delete(job.file_name)
