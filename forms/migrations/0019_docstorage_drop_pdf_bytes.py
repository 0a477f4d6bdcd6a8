"""The PDFs are files of the private storage now (previous migration): their binary
column goes, in a migration of its own (no row is updated in this transaction).
Its default of b"" lets the migration be reversed on a table with rows (the previous
migration then reads the files back into it)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0018_docstorage_pdf_file"),
    ]

    operations = [
        migrations.AlterField(
            model_name="generateddocument",
            name="pdf",
            field=models.BinaryField(default=b"", editable=False, verbose_name="PDF"),
        ),
        migrations.RemoveField(
            model_name="generateddocument",
            name="pdf",
        ),
    ]
