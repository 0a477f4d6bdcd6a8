"""The programme's reuse report: devices taken in, eliminated, refurbished…"""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from content.models import CampaignPage
from forms.logistics.services.report import programme_report


class Command(BaseCommand):
    help = "Print the programme's reuse report (all campaigns, or one with --campaign)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument("--campaign", help="The campaign's slug.")

    def handle(self, *args, json=False, campaign=None, **options):
        page = None
        if campaign:
            page = CampaignPage.objects.filter(slug=campaign).first()
            if page is None:
                raise CommandError(f"No campaign has the slug {campaign!r}.")
        report = programme_report(page)
        if json:
            self.stdout.write(_dumps(report))
            return
        for key, value in report["devices"].items():
            self.stdout.write(f"{key}: {value}")
        for key, value in report["loans"].items():
            self.stdout.write(f"loans {key}: {value}")
        for key, value in report["rates"].items():
            self.stdout.write(f"{key}: {'–' if value is None else value}")


def _dumps(data):
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)
