from django.conf import settings
from django.core.management.base import BaseCommand

from portal.demo.loader import DemoLoader, demo_accounts


class Command(BaseCommand):
    help = "Load the demo content and accounts (idempotent: only what is missing is created)."

    def handle(self, *args, **options):
        created = DemoLoader(log=self.stdout.write).run()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: {images} image(s), {pages} page(s), {users} account(s) created.".format(
                    **created
                )
            )
        )
        self.stdout.write("\nDemo accounts (the password is the user name), admin at /admin/:")
        for username, roles in demo_accounts():
            self.stdout.write(f"  {username:<14} {username:<14} {', '.join(roles)}")
        self.stdout.write(f"\nSite: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/")
