"""The page cache's table (CACHES["pages"]): created like the default cache's."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_cache_table")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
