"""The admin's site import as a background job: upload -> job page (progress, then
the preview with errors and warnings apart) -> file of rows to fix -> confirm with
publish -> result; a running job's progress bar and JSON; who may see a job."""

import csv
import io
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from content.models import MediationSite
from portal import import_jobs
from portal.enums import ImportKind, ImportPhase, ImportStatus
from portal.models import ImportJob
from portal.roles import COORDINATION
from tests.factories import UserFactory
from tests.factories.content import coordinated_campaign

pytestmark = pytest.mark.django_db

# As a coordinator's spreadsheet writes it: semicolons, accents, a formula-like name.
SITES_CSV = (
    "id;pivot;nom;commune;code_postal;adresse;latitude;longitude;typologie;services;"
    "date_maj;notes_internes;courriel\n"
    "lieu-ok;43493312300029;Médiathèque Éole;Dax;40100;3 place de la Mairie;43.7;-1.05;"
    "BIB;Aide aux démarches administratives;2026-04-02;Landes;eole@example.fr\n"
    'lieu-bad;43493312300029;=HYPERLINK("http://x");Dax;4000;1 rue Neuve;43.7;-1.05;BIB;'
    "Aide aux démarches administratives;2026-04-02;Landes;\n"
    "lieu-two;12;Espace numérique;Saint-Paul-lès-Dax;40990;2 rue Haute;"
    "43.72;-1.04;MUNI;Aide aux démarches administratives;2026-04-02;Landes;\n"
)


def upload(client, data, name="lieux.csv"):
    return client.post(
        reverse("content_mediationsite:import"),
        {"import_file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def job_url(name, job):
    return reverse(f"content_mediationsite:import_{name}", args=[job.pk])


def read_fix_file(response):
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read the accents
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_upload_check_fix_file_confirm_with_publish_and_result(client, coordination_user):
    client.force_login(coordination_user)
    response = upload(client, SITES_CSV.encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job_url("job", job)
    assert (job.kind, job.phase, job.status, job.user) == (
        ImportKind.SITES,
        ImportPhase.PREVIEW,
        ImportStatus.DONE,
        coordination_user,
    )
    assert not MediationSite.objects.exists()  # a check only

    preview = client.get(response.url)
    html = preview.text
    report = preview.context["report"]
    assert (report.created, report.updated, report.rejected) == (2, 0, 1)
    # errors and warnings in sections of their own, each a captioned table or a sentence
    assert 'aria-labelledby="import-errors"' in html
    assert 'aria-labelledby="import-warnings"' in html
    errors_section = html.split('id="import-errors"')[1].split('id="import-warnings"')[0]
    warnings_section = html.split('id="import-warnings"')[1].split("</section>")[0]
    assert "lieu-bad" in errors_section and "code_postal" in errors_section
    assert "<caption" in errors_section and "<caption" in warnings_section
    assert report.rejected_rows[0].line == 3
    assert "lieu-ok" not in errors_section and "lieu-two" not in errors_section
    # a warning keeps its row and says what was dropped
    assert [row.identifier for row in report.warned_rows] == ["lieu-two"]
    assert "lieu-two" in warnings_section and "pivot" in warnings_section
    assert "lieu-bad" not in warnings_section
    # the mappings applied and the columns that cannot be used are listed
    assert report.unknown_columns == ["notes_internes"]
    assert report.mappings and all(mapping in html for mapping in report.mappings)
    assert "Colonnes inutilisables" in html and "notes_internes" in html
    assert 'name="publish"' in html and 'for="id_publish"' in html

    # the file of rows to fix: same columns and delimiter, the reasons added
    fix = client.get(job_url("fix", job))
    assert fix.status_code == 200 and "attachment" in fix["Content-Disposition"]
    rows = read_fix_file(fix)
    assert rows[0] == [*SITES_CSV.split("\n", 1)[0].split(";"), "motifs"]
    assert [row[0] for row in rows[1:]] == ["lieu-bad", "lieu-two"]
    assert rows[1][2].startswith("'=HYPERLINK")  # a formula never runs in a spreadsheet
    assert "Erreur" in rows[1][-1] and "code_postal « 4000 »" in rows[1][-1]
    assert "Avertissement" in rows[2][-1] and "pivot « 12 »" in rows[2][-1]
    assert "Erreur" not in rows[2][-1]

    confirmed = client.post(job_url("confirm", job), {"publish": "1"}, follow=True)
    assert confirmed.status_code == 200
    assert confirmed.templates[0].name == "admin/import_result.html"
    messages = [str(m) for m in confirmed.context["messages"]]
    assert any("2" in m for m in messages)
    result = confirmed.context["report"]
    assert (result.created, result.updated, result.rejected, result.applied) == (2, 0, 1, True)
    assert result.warned == 1 and result.published
    assert "publiés sur la carte publique" in confirmed.text
    assert dict(MediationSite.objects.values_list("identifier", "is_published")) == {
        "lieu-ok": True,
        "lieu-two": True,
    }
    job.refresh_from_db()
    assert (job.phase, job.status, job.options["publish"]) == ("import", "done", True)
    # the upload is deleted once the import is finished; the rows to fix stay
    assert job.file_name == "" and import_jobs.private_storage().exists(job.fix_file_name)
    assert client.get(job_url("fix", job)).status_code == 200
    # a second click imports nothing more
    MediationSite.objects.filter(identifier="lieu-two").delete()
    again = client.post(job_url("confirm", job), {"publish": "1"})
    assert again.status_code == 302 and again.url == job_url("job", job)
    assert not MediationSite.objects.filter(identifier="lieu-two").exists()


def test_a_bad_upload_shows_the_form_again_with_its_error(client, coordination_user):
    client.force_login(coordination_user)
    response = upload(client, "nom;commune\nÉcole;Dax\n".encode("cp1252"))
    assert response.status_code == 400 and "UTF-8" in response.text
    assert 'role="alert"' in response.text and 'name="import_file"' in response.text
    assert not ImportJob.objects.exists()


def running_job(user, **values):
    name = import_jobs.private_storage().save(f"{import_jobs.FOLDER}/test.csv", io.BytesIO(b"id\n"))
    defaults = {
        "kind": ImportKind.SITES,
        "status": ImportStatus.RUNNING,
        "done_rows": 500,
        "total_rows": 2000,
        "heartbeat": timezone.now(),
        "file_name": name,
        "original_name": "lieux.csv",
    }
    return ImportJob.objects.create(user=user, **{**defaults, **values})


def test_a_running_job_shows_its_progress_bar_and_json(client, coordination_user):
    job = running_job(coordination_user)
    client.force_login(coordination_user)
    page = client.get(job_url("job", job))
    html = page.text
    assert page.status_code == 200
    assert '<progress id="import-progress"' in html and 'value="25"' in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert "portal/js/import_job.js" in html  # no inline script (CSP)
    assert '<noscript><meta http-equiv="refresh"' in html  # without JavaScript
    assert "500" in html and "2000" in html
    state = client.get(job_url("status", job)).json()
    assert state["status"] == "running" and state["percent"] == 25
    assert state["finished"] is False and state["url"] == job_url("job", job)
    # confirming a job that is still being checked starts nothing
    client.post(job_url("confirm", job))
    job.refresh_from_db()
    assert (job.phase, job.status) == ("preview", "running")


def test_only_the_owner_or_a_superuser_sees_a_job(client, coordination_user, superuser):
    job = running_job(coordination_user)
    other = UserFactory(username="coord-b", groups=[COORDINATION])
    client.force_login(other)
    page = client.get(job_url("job", job))
    assert page.status_code == 404 and "expiré" in page.text
    assert client.get(job_url("status", job)).status_code == 404
    assert client.post(job_url("confirm", job)).status_code == 404
    assert client.get(job_url("fix", job)).status_code == 404
    client.force_login(superuser)
    assert client.get(job_url("status", job)).status_code == 200
    # a device job is not reachable under the sites' URLs
    device_job = running_job(coordination_user, kind=ImportKind.DEVICES)
    client.force_login(coordination_user)
    assert client.get(job_url("status", device_job)).status_code == 404


@pytest.mark.django_db(transaction=True)  # the progress is written from another connection
def test_a_job_whose_lease_expired_is_interrupted_and_relaunched_once(client, coordination_user):
    """Its worker died: the lease it renewed at each sign of progress ran out. The page
    shows it interrupted with "Relancer"; two clicks queue it once; it then runs."""
    job = running_job(
        coordination_user,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
        claim_token="dead-worker",
    )
    client.force_login(coordination_user)
    page = client.get(job_url("job", job))
    assert "Import interrompu" in page.text and 'role="alert"' in page.text
    assert "le serveur qui le traitait s’est arrêté" in page.text
    assert 'name="action" value="relaunch"' in page.text and ">Relancer</button>" in page.text
    job.refresh_from_db()
    assert (job.status, job.claim_token) == (ImportStatus.INTERRUPTED, "")
    # the dead worker, were it to come back, may no longer write to the job
    with pytest.raises(import_jobs.LeaseLost):
        import_jobs.save_progress(ImportJob(pk=job.pk, claim_token="dead-worker"), 900)
    # its file was kept: relaunching runs the check (here, of a real file)
    import_jobs.private_storage().delete(job.file_name)
    import_jobs.private_storage().save(job.file_name, io.BytesIO(SITES_CSV.encode()))
    stale = ImportJob.objects.get(pk=job.pk)
    assert import_jobs.relaunch(stale) is True
    assert import_jobs.relaunch(ImportJob.objects.get(pk=job.pk)) is False  # a second click
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.INTERRUPTED)
    client.post(job_url("confirm", job), {"action": "relaunch"})
    client.post(job_url("confirm", job), {"action": "relaunch"})  # double click: nothing more
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.report["created"] == 2
    assert job.lease_expires_at is None and job.claim_token == ""


@pytest.mark.django_db(transaction=True)  # the progress is written from another connection
def test_a_job_whose_lease_is_alive_keeps_running_and_progress_renews_it(coordination_user):
    job = running_job(
        coordination_user,
        heartbeat=timezone.now() - timedelta(hours=1),
        lease_expires_at=timezone.now() + timedelta(seconds=30),
    )
    assert import_jobs.interrupt_expired() == 0
    before = job.lease_expires_at
    import_jobs.save_progress(job, 600, 2000)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.lease_expires_at > before
    assert job.done_rows == 600


def test_recover_tasks_interrupts_the_jobs_whose_lease_expired(coordination_user, settings):
    settings.IMPORT_JOB_LEASE_SECONDS = 60
    expired = running_job(coordination_user, lease_expires_at=timezone.now() - timedelta(seconds=5))
    # claimed before leases existed: its last sign of life is older than a lease
    silent = running_job(coordination_user, heartbeat=timezone.now() - timedelta(minutes=5))
    alive = running_job(coordination_user, lease_expires_at=timezone.now() + timedelta(minutes=1))
    out = io.StringIO()
    call_command("recover_tasks", stdout=out)
    assert "2 import(s) interrupted" in out.getvalue()
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        expired.pk: ImportStatus.INTERRUPTED,
        silent.pk: ImportStatus.INTERRUPTED,
        alive.pk: ImportStatus.RUNNING,
    }


@pytest.mark.django_db(transaction=True)  # the progress is written from another connection
def test_a_worker_whose_lease_ran_out_mid_import_writes_nothing(coordination_user, monkeypatch):
    """The worker stalled past its lease; recover_tasks interrupted the job meanwhile.
    Its next progress report finds the job no longer its own: it stops, and the job
    stays interrupted, without its report, for "Relancer"."""
    runner = import_jobs.get_runner(ImportKind.SITES)

    def stalled(job, data, progress):
        ImportJob.objects.filter(pk=job.pk).update(
            lease_expires_at=timezone.now() - timedelta(seconds=1)
        )
        call_command("recover_tasks", stdout=io.StringIO())
        progress(1, 3)
        return runner.run(job, data, progress)

    monkeypatch.setitem(
        import_jobs._RUNNERS, ImportKind.SITES, import_jobs.ImportRunner(stalled, runner.read_rows)
    )
    job = running_job(coordination_user, status=ImportStatus.QUEUED)
    import_jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.report, job.fix_file_name) == (ImportStatus.INTERRUPTED, None, "")
    assert not MediationSite.objects.exists()


def test_only_one_worker_claims_a_queued_job(coordination_user):
    job = running_job(coordination_user, status=ImportStatus.QUEUED)
    first = import_jobs.claim(job.pk)
    assert first is not None and first.claim_token and first.lease_expires_at
    assert import_jobs.claim(job.pk) is None


def test_a_failing_runner_marks_the_job_failed_and_imports_nothing(
    client, coordination_user, monkeypatch
):
    def broken(job, data, progress):
        raise RuntimeError("boom")

    runner = import_jobs.get_runner(ImportKind.SITES)
    monkeypatch.setitem(
        import_jobs._RUNNERS, ImportKind.SITES, import_jobs.ImportRunner(broken, runner.read_rows)
    )
    client.force_login(coordination_user)
    response = upload(client, SITES_CSV.encode())
    page = client.get(response.url)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and import_jobs.private_storage().exists(job.file_name)
    assert "erreur inattendue" in page.text and not MediationSite.objects.exists()


def test_expired_jobs_and_their_files_are_purged(coordination_user):
    old = running_job(coordination_user, status=ImportStatus.DONE)
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    recent = running_job(coordination_user, status=ImportStatus.DONE)
    assert import_jobs.purge_expired_jobs() == 1
    assert not import_jobs.private_storage().exists(old.file_name)
    assert list(ImportJob.objects.all()) == [recent]


def test_rows_to_fix_keeps_the_columns_and_delimiter_and_adds_the_reasons():
    rows = [(2, ["a", "ok"]), (4, ["b", "=1+1"]), (5, ["c"])]
    data = import_jobs.rows_to_fix(["id", "nom"], rows, {4: "Erreur", 5: "Avertissement"}, "\t")
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    assert lines == ["id\tnom\tmotifs", "b\t'=1+1\tErreur", "c\t\tAvertissement"]


def test_the_sites_runner_is_registered_by_content(coordination_user):
    coordinated_campaign(coordination_user)
    assert import_jobs.get_runner(ImportKind.SITES).run.__module__ == "content.import_runner"


@pytest.mark.django_db(transaction=True)
def test_progress_saved_inside_an_engines_transaction_is_seen_at_once(coordination_user):
    """The engines import inside one transaction; the progress bar reads the job row
    from another request: on PostgreSQL the progress is written from another
    connection, so the page sees it before the import ends."""
    job = running_job(coordination_user, done_rows=0, total_rows=None)
    seen = []

    def read_from_another_connection():
        seen.append(ImportJob.objects.values_list("done_rows", "total_rows").get(pk=job.pk))
        connection.close()

    with transaction.atomic():
        import_jobs.save_progress(job, 1000, 4000)
        if connection.vendor != "sqlite":  # SQLite: one writer, the same connection
            reader = threading.Thread(target=read_from_another_connection)
            reader.start()
            reader.join()
            assert seen == [(1000, 4000)]
    job.refresh_from_db()
    assert (job.done_rows, job.total_rows, job.percent) == (1000, 4000, 25)


def test_a_file_unreadable_past_its_header_is_explained_in_the_preview(client, coordination_user):
    """The upload reads the header line only (it returns at once); what the job finds
    further down is shown in the preview, and nothing can be imported."""
    client.force_login(coordination_user)
    broken = SITES_CSV + 'lieu-x;"43493312300029;Lieu sans fin de guillemets\n'
    response = upload(client, broken.encode())
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.context["report"].base_errors
    assert 'role="alert"' in preview.text and "ligne 5" in preview.text
    assert "Rien ne peut être importé" in preview.text


@pytest.mark.django_db(transaction=True)
def test_with_the_database_worker_the_upload_returns_before_the_check(client):
    """Production's backend: the upload lands on a waiting job; the worker (one batch
    here) checks the file, then the confirmation waits for the worker again."""
    user = UserFactory(username="coord", groups=[COORDINATION])
    worker = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(user)
    with override_settings(TASKS=worker):
        response = upload(client, SITES_CSV.encode())
        job = ImportJob.objects.get()
        page = client.get(response.url)
        assert job.status == ImportStatus.QUEUED and "<progress" in page.text
        assert "En attente de son tour" in page.text
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE and job.report["created"] == 2
        client.post(job_url("confirm", job), {"publish": "1"})
        client.post(job_url("confirm", job), {"publish": "1"})  # a double click
        assert not MediationSite.objects.exists()
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert (job.phase, job.status) == ("import", "done")
    assert MediationSite.objects.filter(is_published=True).count() == 2
    result = client.get(job_url("job", job))
    assert "Résultat de l’import" in result.text


def test_uploads_live_outside_the_public_media_folder(client, coordination_user, settings):
    """An upload and its rows to fix sit in the private storage, which no web server
    serves: not under MEDIA_ROOT, so not under MEDIA_URL either."""
    client.force_login(coordination_user)
    upload(client, SITES_CSV.encode())
    job = ImportJob.objects.get()
    client.post(job_url("confirm", job))
    job.refresh_from_db()
    path = Path(import_jobs.private_storage().path(job.fix_file_name)).resolve()
    assert path.is_file()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert client.get(settings.MEDIA_URL + job.fix_file_name).status_code == 404


@pytest.mark.parametrize("url", ["/admin/mediation-sites/import/", "/admin/forms/device/import/"])
def test_a_100_mb_file_is_refused_with_a_clear_message_and_nothing_kept(
    client, coordination_user, url
):
    client.force_login(coordination_user)
    storage = import_jobs.private_storage()

    def stored():
        return (
            set(storage.listdir(import_jobs.FOLDER)[1])
            if storage.exists(import_jobs.FOLDER)
            else set()
        )

    before = stored()
    huge = SimpleUploadedFile("export.csv", b"id;nom\n" + b"x" * (100 * 1024 * 1024))
    response = client.post(url, {"import_file": huge})
    assert response.status_code == 400
    assert "trop volumineux" in response.text and "50 Mo" in response.text
    assert not ImportJob.objects.exists() and stored() == before


def test_a_coordinator_imports_new_sites_but_never_changes_another_programmes(
    client, coordination_user
):
    """A Landes coordinator's file names a site of the Vienne's programme: that row is
    refused (the registry's scoping holds in the import too); their own rows go in."""
    from tests.factories import MediationSiteFactory

    landes = coordinated_campaign(coordination_user, departments="40")
    mine = MediationSiteFactory(identifier="lieu-ok", code_postal="40100", nom="Ancien nom")
    mine.campaigns.add(landes)
    vienne = coordinated_campaign(UserFactory(username="coord-vienne"), departments="86")
    theirs = MediationSiteFactory(
        identifier="lieu-two", code_postal="86000", commune="Poitiers", nom="Lieu de la Vienne"
    )
    theirs.campaigns.add(vienne)
    client.force_login(coordination_user)
    upload(client, SITES_CSV.encode())
    job = ImportJob.objects.get()
    report = client.get(job_url("job", job)).context["report"]
    refused = {row.identifier: row.errors for row in report.rejected_rows}
    assert "autre programme" in refused["lieu-two"][0][2]
    client.post(job_url("confirm", job))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.nom == "Médiathèque Éole"  # their own site, updated
    assert theirs.nom == "Lieu de la Vienne" and theirs.code_postal == "86000"  # untouched
