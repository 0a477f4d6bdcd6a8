from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_page_cache_table")]

    operations = [
        migrations.CreateModel(
            name="RateLimitCounter",
            fields=[
                ("bucket", models.CharField(max_length=255, primary_key=True, serialize=False)),
                ("count", models.PositiveIntegerField(default=0)),
                ("expires", models.BigIntegerField(db_index=True)),
            ],
            options={"verbose_name": "rate-limit counter"},
        ),
    ]
