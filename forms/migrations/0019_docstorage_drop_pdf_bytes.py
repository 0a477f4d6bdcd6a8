"""The PDFs are files of the private storage now (previous migration): their binary
column goes, in a migration of its own (no row is updated in this transaction)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0018_docstorage_pdf_file"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="generateddocument",
            name="pdf",
        ),
    ]
