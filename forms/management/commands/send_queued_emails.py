from django.core.management.base import BaseCommand

from forms.engine.tasks import retry_pending_emails


class Command(BaseCommand):
    help = (
        "Send the emails still waiting (after a mail server failure or a sender that "
        "died). Safe beside the task workers and another run: each email is claimed "
        "before it is sent. Run it every few minutes from cron."
    )

    def handle(self, *args, **options):
        sent, failed = retry_pending_emails()
        self.stdout.write(f"{sent} email(s) sent, {failed} still failing.")
