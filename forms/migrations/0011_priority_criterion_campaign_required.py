import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forms', '0010_priority_criteria_per_campaign'),
    ]

    operations = [
        migrations.AlterField(
            model_name='prescription',
            name='priority_criterion',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='prescriptions', to='forms.prioritycriterion', verbose_name='priority criterion'),
        ),
        migrations.AlterField(
            model_name='prioritycriterion',
            name='campaign',
            field=models.ForeignKey(help_text='Each campaign has its own ordered list; none is shared.', on_delete=django.db.models.deletion.CASCADE, related_name='+', to='content.campaignpage', verbose_name='campaign'),
        ),
    ]
