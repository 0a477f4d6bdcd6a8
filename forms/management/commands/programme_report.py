"""The programme's report: devices taken in, eliminated, refurbished…, loans, sites
served, transfer agreements, APTIC cheques and the evaluation indicators."""

import csv
import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from content.models import CampaignPage
from forms.logistics.services.report import programme_report, report_rows


class Command(BaseCommand):
    help = (
        "Print the programme's report (all campaigns, or one with --campaign), "
        "as text, JSON or CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=("text", "json", "csv"), default="text", help="Output format."
        )
        parser.add_argument("--json", action="store_true", help="Same as --format json.")
        parser.add_argument("--campaign", help="The campaign's slug.")

    def handle(self, *args, json=False, campaign=None, **options):
        output_format = "json" if json else options["format"]
        page = None
        if campaign:
            page = CampaignPage.objects.filter(slug=campaign).first()
            if page is None:
                raise CommandError(f"No campaign has the slug {campaign!r}.")
        report = programme_report(page)
        if output_format == "json":
            self.stdout.write(jsonlib.dumps(report, ensure_ascii=False, indent=2, default=str))
            return
        rows = report_rows(report)
        if output_format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(("section", "figure", "value", "goal", "met"))
            writer.writerows(rows)
            return
        for section, figure, value, goal, met in rows:
            line = f"{section} {figure}: {'–' if value in (None, '') else value}"
            if goal not in (None, ""):
                line += f" (goal {goal}, {'met' if met else 'not met'})"
            self.stdout.write(line)
