from django.core.management.base import BaseCommand

from forms.kinds.prescription.lifecycle import expire_stale, send_reminders


class Command(BaseCommand):
    help = (
        "Remind site staff of waiting prescriptions (PRESCRIPTION_REMINDER_DAYS) and mark as "
        "expired those with no action for PRESCRIPTION_EXPIRY_DAYS (run daily)."
    )

    def handle(self, *args, **options):
        reminded = send_reminders()
        expired = expire_stale()
        self.stdout.write(f"{reminded} reminder(s) sent, {expired} prescription(s) expired.")
