"""Each email leaves once, whoever sends it: workers, ``send_queued_emails`` runs,
several at once. A sender claims the row first; a dead sender's claim is taken back
after its lease."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forms.engine import tasks
from forms.engine.models.outgoing_email import OutgoingEmail
from tests.forms import mail_backends

COUNTING = "tests.forms.mail_backends.CountingBackend"
DATABASE_WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ON_POSTGRESQL = connection.vendor == "postgresql"


def write_emails(count):
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(subject=f"email {n}", body="Bonjour", to=[f"p{n}@example.org"])
        for n in range(count)
    )


def expire_claims():
    """The lease of every claim ends: as if EMAIL_CLAIM_LEASE_SECONDS went by."""
    OutgoingEmail.objects.exclude(claimed_at=None).update(
        claimed_at=timezone.now() - timedelta(seconds=301)
    )


@pytest.mark.django_db
def test_a_claimed_email_waits_for_its_sender_then_is_taken_back_after_the_lease(settings):
    settings.EMAIL_CLAIM_LEASE_SECONDS = 300
    write_emails(2)
    first, second = OutgoingEmail.objects.order_by("pk")
    # Sender A claims the first email, then dies before sending it.
    assert tasks.claim(first.pk, "A")
    assert not tasks.claim(first.pk, "B")
    # B (a run of send_queued_emails) finds only the second one.
    assert tasks.retry_pending_emails() == (1, 0)
    assert [message.subject for message in mail.outbox] == ["email 1"]
    assert tasks.deliver(first.pk) == tasks.BUSY
    first.refresh_from_db()
    assert first.sent_at is None and first.claimed_by == "A" and first.attempts == 1
    # A's lease ends: the next sender takes the email back and sends it, once.
    expire_claims()
    assert tasks.retry_pending_emails() == (1, 0)
    assert tasks.retry_pending_emails() == (0, 0)
    assert sorted(message.subject for message in mail.outbox) == ["email 0", "email 1"]
    first.refresh_from_db()
    assert first.sent_at and first.claimed_at is None and first.claimed_by == ""
    assert first.attempts == 2  # A's claim counted: an email killing its sender is given up
    assert tasks.deliver(first.pk) == tasks.DONE


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_for_the_next_try(settings):
    settings.EMAIL_BACKEND = "tests.forms.test_email_claims.RefusingBackend"
    write_emails(1)
    email = OutgoingEmail.objects.get()
    assert tasks.deliver(email.pk) == tasks.FAILED
    email.refresh_from_db()
    assert (email.attempts, email.last_error, email.claimed_at) == (
        1,
        "ConnectionRefusedError",
        None,
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.deliver(email.pk) == tasks.SENT and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_email_that_keeps_killing_its_sender_is_given_up():
    write_emails(1)
    email = OutgoingEmail.objects.get()
    for n in range(OutgoingEmail.MAX_ATTEMPTS):
        assert tasks.claim(email.pk, f"dead-{n}")
        expire_claims()
    assert not tasks.claim(email.pk, "next")
    assert tasks.retry_pending_emails() == (0, 0)
    email.refresh_from_db()
    assert email.gave_up and mail.outbox == []


class RefusingBackend(mail_backends.CountingBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError


@pytest.mark.django_db(transaction=True)
def test_many_senders_at_once_send_each_email_exactly_once(settings):
    """PostgreSQL: eight threads (each its own connection) run send_queued_emails'
    loop over the same 300 emails at once. SQLite has one writer: the same senders
    take turns, each offered every email (claim by one, the others find it taken)."""
    settings.EMAIL_BACKEND = COUNTING
    mail_backends.SENT.clear()
    write_emails(300)
    if ON_POSTGRESQL:
        results, start = [], threading.Barrier(8)

        def sender():
            try:
                start.wait()
                results.append(tasks.retry_pending_emails())
            finally:
                connections.close_all()

        threads = [threading.Thread(target=sender, name=f"sender-{n}") for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 8
        senders = {name for _subject, name in mail_backends.SENT}
        assert len(senders) > 1, "the senders did not run side by side"
    else:
        ids = list(OutgoingEmail.objects.values_list("pk", flat=True))
        outcomes = Counter(tasks.deliver(pk, sender=f"sender-{n}") for pk in ids for n in range(8))
        assert outcomes == {tasks.SENT: 300, tasks.DONE: 300 * 7}
    counts = Counter(subject for subject, _name in mail_backends.SENT)
    assert len(counts) == 300 and set(counts.values()) == {1}
    assert not OutgoingEmail.objects.pending().exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_and_the_command_side_by_side_send_each_email_once(settings):
    """The cron line beside the worker: the command sends what is waiting, the worker's
    tasks then find their emails sent."""
    settings.EMAIL_BACKEND = COUNTING
    mail_backends.SENT.clear()
    with override_settings(TASKS=DATABASE_WORKER):
        write_emails(5)
        for email in OutgoingEmail.objects.all():
            tasks.send_email.enqueue(email.pk)
        call_command("send_queued_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert sorted(subject for subject, _name in mail_backends.SENT) == [
        f"email {n}" for n in range(5)
    ]
    assert DBTaskResult.objects.successful().count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_task_finding_its_email_claimed_looks_again_when_the_lease_ends(settings):
    """A worker's task meets an email another sender holds (maybe dead): it comes back
    once that claim's lease is over, and sends it then if still waiting."""
    settings.EMAIL_BACKEND = COUNTING
    mail_backends.SENT.clear()
    with override_settings(TASKS=DATABASE_WORKER):
        write_emails(1)
        email = OutgoingEmail.objects.get()
        assert tasks.claim(email.pk, "dead sender")
        tasks.send_email.enqueue(email.pk)
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        assert mail_backends.SENT == []
        later = DBTaskResult.objects.ready().count(), DBTaskResult.objects.filter(status="READY")
        assert later[0] == 0  # not before the lease ends
        (retry,) = later[1]
        claimed_at = OutgoingEmail.objects.get().claimed_at
        assert retry.run_after >= claimed_at + timedelta(seconds=300)
        expire_claims()
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert [subject for subject, _name in mail_backends.SENT] == ["email 0"]


def run_manage(*args, database_url, extra_env=None, wait=True):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.forms.worker_settings",
        "DATABASE_URL": database_url,
        **(extra_env or {}),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [sys.executable, "manage.py", *args]
    if not wait:
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603
    return subprocess.run(  # noqa: S603
        command, cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, text=True
    )


class SharedDatabase:
    """The database the worker processes use. PostgreSQL: the test database itself.
    SQLite: the test database is in memory, so it is copied to a file for the
    processes and copied back for the checks."""

    def __init__(self, folder):
        connection.ensure_connection()
        if ON_POSTGRESQL:
            db = connection.settings_dict
            self.url = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            )
        else:
            self.path = folder / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def hand_over(self):
        if not ON_POSTGRESQL:
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)

    def take_back(self):
        if not ON_POSTGRESQL:
            with sqlite3.connect(self.path) as source:
                source.backup(connection.connection)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_then_recovery_sends_every_email(tmp_path):
    """A real ``db_worker`` sends queued emails and is killed (SIGKILL) while the mail
    server holds the third one, before its row is marked. ``recover_tasks`` puts the
    task it left RUNNING back in the queue, a new worker sends the rest. Every email
    leaves; the one the dead worker had handed over leaves twice (the documented
    window), no other."""
    log, blocked = tmp_path / "mail.log", tmp_path / "blocked"
    with override_settings(TASKS=DATABASE_WORKER):
        write_emails(5)
        for email in OutgoingEmail.objects.order_by("pk"):
            tasks.send_email.enqueue(email.pk)
    database = SharedDatabase(tmp_path)
    database.hand_over()
    mail_env = {"MAIL_LOG": str(log), "BLOCKED_FILE": str(blocked)}
    worker = run_manage(
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
        "--interval=0.1",
        database_url=database.url,
        extra_env={**mail_env, "BLOCK_ON": "email 2"},
        wait=False,
    )
    try:
        for _ in range(1200):  # the worker starts, sends two emails, blocks on the third
            if blocked.exists() or worker.poll() is not None:
                break
            time.sleep(0.05)
        assert blocked.exists(), "the worker never reached the third email"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert log.read_text().split("\n")[:-1] == ["email 0", "email 1", "email 2"]

    database.take_back()
    assert DBTaskResult.objects.running().count() == 1  # left for ever without recovery
    stuck = OutgoingEmail.objects.get(subject="email 2")
    assert stuck.sent_at is None and stuck.claimed_at is not None

    # Recovery, once the lease is over (0 here: the claim is already stale).
    after_lease = {**mail_env, "EMAIL_CLAIM_LEASE_SECONDS": "0"}
    database.hand_over()
    recovered = run_manage(
        "recover_tasks", "--older-than=0", database_url=database.url, extra_env=after_lease
    )
    assert "1 task(s) re-queued" in recovered.stdout
    run_manage(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        database_url=database.url,
        extra_env=after_lease,
    )
    queued = run_manage("send_queued_emails", database_url=database.url, extra_env=after_lease)
    assert queued.stdout.startswith("0 email(s) sent")
    database.take_back()

    sent = Counter(log.read_text().split("\n")[:-1])
    assert sent == {"email 0": 1, "email 1": 1, "email 2": 2, "email 3": 1, "email 4": 1}
    assert not OutgoingEmail.objects.pending().exists()
    assert not DBTaskResult.objects.running().exists()
    assert DBTaskResult.objects.successful().count() == 5


@pytest.mark.django_db
def test_recover_tasks_requeues_emails_and_fails_other_stuck_tasks():
    """Only tasks RUNNING past the limit: the email task goes back to READY, any other
    is marked failed with the reason, a recent one is left to its worker."""
    long_ago = timezone.now() - timedelta(hours=2)

    def running(path, started_at=long_ago):
        return DBTaskResult.objects.create(
            status="RUNNING",
            started_at=started_at,
            task_path=path,
            args_kwargs={"args": [1], "kwargs": {}},
            backend_name="default",
            run_after=started_at,
            worker_ids=["w1"],
        )

    email_task = running("forms.engine.tasks.send_email")
    import_task = running("portal.tasks.run_import_job")
    recent = running("portal.tasks.run_import_job", started_at=timezone.now())
    out = StringIO()
    call_command("recover_tasks", "--older-than=3600", stdout=out)
    assert out.getvalue().strip() == (
        "1 task(s) re-queued, 1 marked failed, 0 import(s) interrupted."
    )
    email_task.refresh_from_db(), import_task.refresh_from_db(), recent.refresh_from_db()
    assert email_task.status == "READY" and email_task.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=email_task.pk).exists()
    assert import_task.status == "FAILED" and "w1" in import_task.traceback
    assert import_task.exception_class_path == "portal.task_recovery.WorkerLost"
    assert recent.status == "RUNNING"
