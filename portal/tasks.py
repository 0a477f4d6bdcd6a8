"""Background work of the portal app: the admin's imports (portal/import_jobs.py)."""

from django_tasks import task

from portal import import_jobs


@task()
def run_import_job(job_id):
    """Run one import job. With the immediate backend (development, tests) it runs
    inline when enqueued; with the database worker, in the worker's process."""
    import_jobs.run_job(job_id)


def enqueue_job(job):
    """Hand a queued job to the tasks framework. Called outside any transaction (the
    admin views run in autocommit), so the worker finds the job row committed."""
    run_import_job.enqueue(job.pk)
