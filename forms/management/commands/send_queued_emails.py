from django.core.management.base import BaseCommand

from forms.engine.tasks import retry_pending_emails


class Command(BaseCommand):
    help = (
        "Send the emails still waiting (after a mail server failure). Run it every few "
        "minutes from cron when no task worker retries them (immediate task backend)."
    )

    def handle(self, *args, **options):
        sent, failed = retry_pending_emails()
        self.stdout.write(f"{sent} email(s) sent, {failed} still failing.")
