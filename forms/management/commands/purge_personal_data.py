from django.core.management.base import BaseCommand

from forms.lifecycle import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymise prescriptions closed more than PRESCRIPTION_RETENTION_DAYS ago "
        "(run daily, with clearsessions). Idempotent."
    )

    def handle(self, *args, **options):
        count = purge_personal_data()
        self.stdout.write(f"{count} prescription(s) anonymised.")
