"""``manage.py purge_page_cache [--campaign SLUG]``: make cached pages stale on
every app instance (portal/page_cache.py), e.g. after a Redis outage or a change
made straight in the database. The help and messages are in French, for the
programme's operators; a command runs without translations, hence plain strings."""

from django.core.management.base import BaseCommand, CommandError

from content.models import CampaignPage
from portal import generations, page_cache


class Command(BaseCommand):
    help = (
        "Vide le cache des pages publiques sur toutes les instances : toutes les pages, "
        "ou seulement celles d'une campagne avec --campaign."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign",
            metavar="SLUG",
            help="Ne vider que la page de cette campagne et ses chiffres (son slug).",
        )

    def handle(self, *args, campaign=None, **options):
        if not page_cache.configured():
            raise CommandError("Aucun cache de pages n'est configuré (alias « pages »).")
        if campaign is None:
            page_cache.purge()
            self.stdout.write("Cache des pages vidé : toutes les pages.")
            return
        found = CampaignPage.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"Aucune campagne n'a le slug « {campaign} ».")
        page_cache.purge({generations.campaign_scope(found.pk)})
        self.stdout.write(
            f"Cache des pages vidé pour la campagne « {found.title} » ({found.url_path})."
        )
