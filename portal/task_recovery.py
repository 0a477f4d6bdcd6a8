"""Tasks a dead worker left RUNNING (django-tasks-db), found and settled.

A ``db_worker`` killed mid-task (SIGKILL, out of memory, a machine lost) leaves
its ``DBTaskResult`` in RUNNING for ever: nothing else will run it. Past a limit,
``recover_tasks`` puts back to READY the tasks their app declared safe to run
twice (``register_rerunnable``: sending an email, which claims its row first),
and marks the others FAILED, with a traceback saying why, so staff see them.
Import jobs carry their own lease (portal/import_jobs.py): those whose lease ran
out are marked INTERRUPTED here, and their page offers to run them again.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal import import_jobs

DEFAULT_OLDER_THAN = 3600  # seconds: longer than any task the portal runs
LOST = "portal.task_recovery.WorkerLost"
RERUNNABLE = set()


class WorkerLost(Exception):
    """The worker running the task stopped before it finished."""


def register_rerunnable(task_path):
    """Declare a task (its dotted path) safe to run again after a dead worker."""
    RERUNNABLE.add(task_path)


def stuck(older_than=DEFAULT_OLDER_THAN, now=None):
    now = now or timezone.now()
    return DBTaskResult.objects.running().filter(started_at__lt=now - timedelta(seconds=older_than))


def recover_import_jobs(now=None):
    """Mark INTERRUPTED the import jobs whose worker's lease ran out; returns how many."""
    return import_jobs.interrupt_expired(now)


def recover_tasks(older_than=DEFAULT_OLDER_THAN, now=None):
    """Settle the tasks RUNNING for more than ``older_than`` seconds; returns
    (requeued, failed) counts. Each row is taken with SELECT FOR UPDATE SKIP LOCKED
    (as the worker takes its tasks) and changed only if still RUNNING."""
    now = now or timezone.now()
    requeued = failed = 0
    with transaction.atomic():
        for result in stuck(older_than, now).select_for_update(skip_locked=True):
            if result.task_path in RERUNNABLE:
                result.status = TaskResultStatus.READY
                result.run_after = now
                result.started_at = None
                result.save(update_fields=["status", "run_after", "started_at"])
                requeued += 1
            else:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = LOST
                result.traceback = (
                    f"{LOST}: still running after {older_than} s, its worker "
                    f"({', '.join(result.worker_ids) or 'unknown'}) presumed dead; "
                    "marked failed by manage.py recover_tasks\n"
                )
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
    return requeued, failed
