"""Send the one-year review questionnaires that are due (daily)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from forms.kinds.handover.reviews import send_one_year_reviews


def parse_day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today expects a date as YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Email the one-year review questionnaire to the prescriber of every recorded handover "
        "ONE_YEAR_REVIEW_DAYS old (run daily). Idempotent: one review per handover, never "
        "sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = parse_day(options["today"]) if options["today"] else None
        dry_run = options["dry_run"]
        run = send_one_year_reviews(today=today, dry_run=dry_run)
        verb = "would be sent" if dry_run else "sent"
        for reference in run.sent:
            self.stdout.write(f"{reference}: review {verb}")
        self.stdout.write(
            f"{len(run.sent)} review(s) {verb}, {len(run.skipped)} handover(s) skipped "
            "(no prescription or no prescriber email)."
        )
