from django.core.management.base import BaseCommand

from forms.partners.webhooks import retry_due_webhooks


class Command(BaseCommand):
    help = (
        "Send the partners' webhook deliveries whose next attempt is due (after a "
        "partner's server failed, or where no task worker defers the retries). Safe "
        "beside the task workers and another run: each delivery is claimed before it "
        "is sent. Run it every few minutes from cron."
    )

    def handle(self, *args, **options):
        delivered = retry_due_webhooks()
        self.stdout.write(f"{delivered} webhook delivery(ies) delivered.")
