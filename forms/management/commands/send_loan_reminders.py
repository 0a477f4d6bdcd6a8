"""Remind borrowers before and after their loan's due date (daily)."""

from django.core.management.base import BaseCommand

from forms.logistics.services.loans import send_reminders


class Command(BaseCommand):
    help = "Email borrowers a few days before their loan's due date and once it is overdue (daily)."

    def handle(self, *args, **options):
        before, after = send_reminders()
        self.stdout.write(f"reminders before the due date: {before}, overdue reminders: {after}")
