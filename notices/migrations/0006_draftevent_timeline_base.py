# DraftEvent joins the timeline base (nemid_cases.models.TimelineEvent):
# its columns take the base's names; renames keep every row.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0005_incident_link"),
    ]

    operations = [
        migrations.RenameField(model_name="draftevent", old_name="at", new_name="created_at"),
        migrations.RenameField(model_name="draftevent", old_name="by", new_name="actor"),
        migrations.RenameField(model_name="draftevent", old_name="note", new_name="text"),
        migrations.AlterField(
            model_name="draftevent",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterModelOptions(
            name="draftevent",
            options={
                "ordering": ["created_at", "id"],
                "verbose_name": "draft event",
                "verbose_name_plural": "draft events",
            },
        ),
    ]
