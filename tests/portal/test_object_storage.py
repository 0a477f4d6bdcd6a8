"""Files shared by several app servers on an S3-compatible object store, against a
real local S3 server (moto's server mode on a free port, spoken to over HTTP by
django-storages and boto3, as in production).

Two "servers" are two storage instances built from the same settings: an import
uploaded through one is run by a worker on the other; its file of rows to fix is
downloaded by its owner through the portal's view only (refused to others, with no
public URL); the job's files are purged from the bucket. Wagtail's media go to the
same bucket under a public prefix."""

import io
import socket
import urllib.error
import urllib.request
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.services.documents import render_document
from portal import import_jobs
from portal.enums import ImportPhase, ImportStatus
from portal.models import ImportJob
from portal.roles import COORDINATION
from portal.settings.object_storage import object_storages
from tests.factories import (
    DonorPledgeFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
)
from tests.factories.content import coordinated_campaign
from tests.forms.test_documents import pdf_text

pytestmark = pytest.mark.django_db

BUCKET = "portal-files"
WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SITES_CSV = (
    "id;nom;commune;code_postal;adresse;latitude;longitude\n"
    "lieu-ok;Médiathèque Éole;Dax;40100;3 place de la Mairie;43.7;-1.05\n"
    "lieu-bad;Sans code postal;Dax;4000;1 rue Neuve;43.7;-1.05\n"
    "lieu-two;Espace numérique;Saint-Paul-lès-Dax;40990;2 rue Haute;43.72;-1.04\n"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3 server for this module, with the portal's bucket."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def environment(s3_endpoint):
    """What an app server's environment says (README, production)."""
    return {
        "STORAGE_S3_BUCKET": BUCKET,
        "STORAGE_S3_ENDPOINT_URL": s3_endpoint,
        "STORAGE_S3_ACCESS_KEY_ID": "portal",
        "STORAGE_S3_SECRET_ACCESS_KEY": "portal-secret",
        "STORAGE_S3_REGION": "us-east-1",
    }


@pytest.fixture
def bucket(environment):
    """The bucket as its owner sees it (boto3, outside the portal)."""
    return boto3.client(
        "s3",
        endpoint_url=environment["STORAGE_S3_ENDPOINT_URL"],
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
    )


@pytest.fixture
def on_object_storage(settings, environment):
    settings.STORAGES = {**settings.STORAGES, **object_storages(environment)}
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    return settings


def another_server(settings):
    """Start "another app server": its storages are built afresh from the same
    settings (Django resets its storage handler when STORAGES is set)."""
    before = import_jobs.private_storage()
    settings.STORAGES = dict(settings.STORAGES)
    assert import_jobs.private_storage() is not before


def in_bucket(bucket, key):
    try:
        bucket.head_object(Bucket=BUCKET, Key=key)
    except ClientError as error:
        assert error.response["Error"]["Code"] == "404"
        return False
    return True


def anonymous_get(url):
    """A GET from anyone on the internet: the status code."""
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 - the local test server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_environment_sets_both_storages_and_nothing_without_a_bucket(environment):
    assert object_storages({}) == {}
    storages = object_storages(environment)
    media, private = storages["default"], storages["private"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["BACKEND"] == "portal.storage_backends.PrivateS3Storage"
    assert media["OPTIONS"]["location"] == "media" and private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["bucket_name"] == BUCKET
    separate = object_storages({**environment, "STORAGE_S3_PRIVATE_BUCKET": "portal-private"})
    assert separate["private"]["OPTIONS"]["bucket_name"] == "portal-private"


def test_an_import_uploaded_on_one_server_runs_on_another_and_its_files_stay_private(
    client, coordination_user, on_object_storage, bucket, environment
):
    settings = on_object_storage
    coordinated_campaign(coordination_user)
    settings.TASKS = WORKER  # the worker, not the upload's request, runs the job
    client.force_login(coordination_user)

    # server A: the upload is streamed into the bucket, under the private prefix
    response = client.post(
        reverse("content_mediationsite:import"),
        {"import_file": SimpleUploadedFile("lieux.csv", SITES_CSV.encode())},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.QUEUED
    upload_key = f"private/{job.file_name}"
    assert in_bucket(bucket, upload_key)

    # server B: its worker reads the upload from the bucket and writes the rows to fix there
    another_server(settings)
    import_jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.report["created"], job.report["rejected"]) == (ImportStatus.DONE, 2, 1)
    fix_key = f"private/{job.fix_file_name}"
    assert in_bucket(bucket, fix_key)

    # server A again: the owner downloads the rows to fix, streamed by the portal's view
    another_server(settings)
    fix_url = reverse("content_mediationsite:import_fix", args=[job.pk])
    download = client.get(fix_url)
    assert download.status_code == 200 and download.streaming
    text = download.getvalue().decode("utf-8")
    assert text.startswith("\ufeffid;nom") and "lieu-bad" in text and "motifs" in text
    # ... refused to another coordinator and to someone not signed in
    client.force_login(UserFactory(username="coord-b", groups=[COORDINATION]))
    assert client.get(fix_url).status_code == 404
    client.logout()
    assert client.get(fix_url).status_code in {302, 403}
    assert "lieu-bad" not in client.get(fix_url, follow=True).content.decode()
    # ... and never reachable by a URL of the bucket, signed or not
    endpoint = environment["STORAGE_S3_ENDPOINT_URL"]
    for key in (upload_key, fix_key):
        assert anonymous_get(f"{endpoint}/{BUCKET}/{key}") == 403
        grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers
    with pytest.raises(NotImplementedError):
        import_jobs.private_storage().url(job.fix_file_name)

    # the import, confirmed, runs on server B: its upload leaves the bucket
    client.force_login(coordination_user)
    client.post(reverse("content_mediationsite:import_confirm", args=[job.pk]))
    another_server(settings)
    import_jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.phase, job.status, job.file_name) == (ImportPhase.IMPORT, ImportStatus.DONE, "")
    assert not in_bucket(bucket, upload_key)

    # past the retention, the job and its files are purged from the bucket
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert import_jobs.purge_expired_jobs() == 1
    assert not in_bucket(bucket, f"private/{job.fix_file_name}")


def test_wagtail_media_are_shared_in_the_bucket_and_public(
    client, on_object_storage, bucket, superuser
):
    picture = io.BytesIO()
    PILImage.new("RGB", (8, 8), "teal").save(picture, "PNG")
    image = Image.objects.create(title="Atelier", file=ImageFile(picture, name="atelier.png"))
    document = Document.objects.create(
        title="Guide", file=ContentFile(b"%PDF-1.4 guide", name="guide.pdf")
    )
    assert in_bucket(bucket, f"media/{image.file.name}")
    assert in_bucket(bucket, f"media/{document.file.name}")
    # images are public (their renditions too), straight from the bucket
    assert anonymous_get(image.file.url) == 200
    rendition = image.get_rendition("width-4")
    assert anonymous_get(rendition.url) == 200
    # documents are streamed by Wagtail's view (which applies a collection's privacy)
    served = client.get(document.url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"%PDF-1.4 guide"


def test_a_generated_document_is_a_private_file_of_the_bucket_until_purged(
    client,
    coordination_user,
    on_object_storage,
    bucket,
    environment,
    django_capture_on_commit_callbacks,
):
    settings = on_object_storage
    pledge = DonorPledgeFactory(campaign=coordinated_campaign(coordination_user))
    client.force_login(coordination_user)

    # server A: the coordinator generates the donation agreement, written to the bucket
    client.post(f"/admin/documents-programme/donation_agreement/donorpledge/{pledge.pk}/")
    document = GeneratedDocument.objects.get()
    key = f"private/{document.file.name}"
    assert in_bucket(bucket, key) and pledge.reference not in key  # a name saying nothing

    # server B: the coordinator downloads it, streamed by the portal's view
    another_server(settings)
    download = f"/admin/documents-programme/pdf/{document.pk}/"
    response = client.get(download)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="{document.filename}"'
    assert pledge.reference in pdf_text(response.getvalue())
    # ... refused to another programme's coordinator, and never reachable in the bucket
    client.force_login(UserFactory(username="coord-b", groups=[COORDINATION]))
    assert client.get(download).status_code in {302, 403, 404}
    assert anonymous_get(f"{environment['STORAGE_S3_ENDPOINT_URL']}/{BUCKET}/{key}") == 403

    # the personal-data purge removes an anonymised prescription's sheet and its file
    old = PrescriptionFactory(
        site=MediationSiteFactory(),
        status="refused",
        closed_at=timezone.now() - timedelta(days=800),
    )
    sheet = render_document("prescription_sheet", old)
    sheet_key = f"private/{sheet.file.name}"
    assert in_bucket(bucket, sheet_key)
    another_server(settings)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=io.StringIO())
    assert not GeneratedDocument.objects.filter(pk=sheet.pk).exists()
    assert not in_bucket(bucket, sheet_key)
    assert in_bucket(bucket, key)  # the pledge's agreement stays
