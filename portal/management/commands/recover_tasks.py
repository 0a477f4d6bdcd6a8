from django.core.management.base import BaseCommand

from portal.task_recovery import DEFAULT_OLDER_THAN, recover_import_jobs, recover_tasks


class Command(BaseCommand):
    help = (
        "Settle the background tasks a dead worker left running: re-queue those safe to "
        "run again (emails), mark the others failed, and the imports whose lease ran out "
        "interrupted. Run it from cron every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_OLDER_THAN,
            metavar="SECONDS",
            help="A task running longer than this is presumed lost (default: %(default)s).",
        )

    def handle(self, *args, older_than, **options):
        requeued, failed = recover_tasks(older_than)
        interrupted = recover_import_jobs()
        self.stdout.write(
            f"{requeued} task(s) re-queued, {failed} marked failed, "
            f"{interrupted} import(s) interrupted."
        )
