from django.core.management.base import BaseCommand

from forms.lifecycle import purge_closed_answers, purge_personal_data, purge_sent_emails


class Command(BaseCommand):
    help = (
        "Anonymise prescriptions closed more than PRESCRIPTION_RETENTION_DAYS ago, delete "
        "free-form answers closed more than GENERIC_RETENTION_DAYS ago and "
        "forget emails sent more than EMAIL_RETENTION_DAYS ago (run daily). Idempotent."
    )

    def handle(self, *args, **options):
        count = purge_personal_data()
        self.stdout.write(f"{count} prescription(s) anonymised.")
        answers = purge_closed_answers()
        self.stdout.write(f"{answers} free-form answer(s) deleted.")
        emails = purge_sent_emails()
        self.stdout.write(f"{emails} email(s) forgotten.")
