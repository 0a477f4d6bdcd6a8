"""Background work of the content app, run by the tasks framework (django-tasks)."""

import logging

from django_tasks import task

from content import sync

logger = logging.getLogger(__name__)


@task()
def sync_mediation_sites(
    url, timeout=sync.DEFAULT_TIMEOUT, max_bytes=sync.DEFAULT_MAX_BYTES, publish=False
):
    """``manage.py sync_mediation_sites URL`` as a task (enqueue it from a scheduler or
    the shell). Returns the report's figures; a source that cannot be used is logged
    and raised (the task fails, nothing changed)."""
    try:
        data = sync.fetch(url, timeout=timeout, max_bytes=max_bytes)
        report = sync.sync_sites(data, url, publish=publish)
    except sync.SyncError as error:
        logger.error("Mediation-site sync failed: %s", error)
        raise
    summary = report.summary()
    logger.info(
        "Mediation-site sync of %s: %s created, %s updated, %s unchanged, %s left the source, "
        "%s with fields kept, %s rejected",
        url,
        summary["created"],
        summary["updated"],
        summary["unchanged"],
        summary["left_source"],
        len(summary["kept_fields"]),
        summary["rejected"],
    )
    return summary
