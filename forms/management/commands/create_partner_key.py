from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from content.models import CampaignPage
from forms.partners.keys import create_key
from forms.partners.webhooks import check_callback_url


class Command(BaseCommand):
    help = (
        "Create a partner key for the partners' API and print it (alone on the last "
        "line): it is stored hashed and cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The partner's name.")
        parser.add_argument(
            "--campaign",
            action="append",
            required=True,
            dest="campaigns",
            metavar="SLUG",
            help="A campaign the key may send to (repeat for several).",
        )
        parser.add_argument("--email", default="", help="The partner's contact email.")
        parser.add_argument("--callback-url", default="", help="Where to POST stage changes.")

    def handle(self, *args, name, campaigns, email, callback_url, **options):
        found = list(CampaignPage.objects.filter(slug__in=campaigns))
        missing = sorted(set(campaigns) - {campaign.slug for campaign in found})
        if missing:
            raise CommandError(f"Unknown campaign(s): {', '.join(missing)}")
        if callback_url:
            try:
                check_callback_url(callback_url)
            except ValidationError as error:
                raise CommandError(error.messages[0]) from error
        key, token = create_key(name, found, contact_email=email, callback_url=callback_url)
        self.stdout.write(f"Key #{key.pk} for {key.name}, campaigns: {', '.join(campaigns)}.")
        self.stdout.write(f"Webhook secret (signs the callbacks): {key.webhook_secret}")
        self.stdout.write(token)
