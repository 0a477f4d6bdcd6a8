"""Generated PDFs move from a column of the database to files of the private storage
(settings.STORAGES["private"]): the new field, then each existing document's bytes
written to a file. The binary column is dropped by the next migration: on PostgreSQL
rows updated and the table altered in one transaction can fail ("pending trigger
events"), so the copy and the schema change stay apart."""

from django.core.files.base import ContentFile
from django.db import migrations, models

import forms.logistics.models.documents


def write_files(apps, schema_editor):
    GeneratedDocument = apps.get_model("forms", "GeneratedDocument")
    documents = GeneratedDocument.objects.filter(file="")
    for document in documents.iterator(chunk_size=50):
        if document.pdf:
            document.file.save("document.pdf", ContentFile(bytes(document.pdf)), save=False)
            GeneratedDocument.objects.filter(pk=document.pk).update(file=document.file.name)


def read_files_back(apps, schema_editor):
    GeneratedDocument = apps.get_model("forms", "GeneratedDocument")
    for document in GeneratedDocument.objects.exclude(file="").iterator(chunk_size=50):
        with document.file.open("rb") as handle:
            GeneratedDocument.objects.filter(pk=document.pk).update(pdf=handle.read())


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0017_merge_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="generateddocument",
            name="file",
            field=models.FileField(
                default="",
                editable=False,
                storage=forms.logistics.models.documents.private_storage,
                upload_to=forms.logistics.models.documents.document_file_name,
                verbose_name="PDF",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(write_files, read_files_back),
    ]
