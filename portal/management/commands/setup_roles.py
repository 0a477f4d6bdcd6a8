from django.core.management.base import BaseCommand

from portal.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create or update the staff groups (Communication, Coordination) and their permissions."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write(self.style.SUCCESS(f"Groups up to date: {', '.join(ROLES)}."))
