from django.core.management.base import BaseCommand

from forms.engine.kinds import purge_kinds
from forms.engine.notifications import purge_sent_emails
from forms.kinds.prescription.lifecycle import purge_personal_data
from portal.import_jobs import purge_expired_jobs


class Command(BaseCommand):
    help = (
        "Anonymise prescriptions closed more than PRESCRIPTION_RETENTION_DAYS ago, delete "
        "free-form answers closed more than GENERIC_RETENTION_DAYS ago and "
        "forget emails sent more than EMAIL_RETENTION_DAYS ago and admin imports (their "
        "files and reports) older than IMPORT_JOB_RETENTION_DAYS (run daily). Idempotent."
    )

    def handle(self, *args, **options):
        count = purge_personal_data()
        self.stdout.write(f"{count} prescription(s) anonymised.")
        for label, purged in purge_kinds().items():
            self.stdout.write(f"{label}: {purged} record(s) purged.")
        emails = purge_sent_emails()
        self.stdout.write(f"{emails} email(s) forgotten.")
        imports = purge_expired_jobs()
        self.stdout.write(f"{imports} import(s) forgotten.")
