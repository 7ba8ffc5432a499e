# AssignmentTurn moves from analytics to enquiries with automatic
# assignment. This step only takes over the model's state (the table keeps
# its name); analytics 0003 drops it from analytics' state, and 0013 here
# renames the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0011_citizen_enquiry_version"),
        ("analytics", "0002_day_summaries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AssignmentTurn",
                    fields=[
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="assignment_turn",
                                serialize=False,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="agent",
                            ),
                        ),
                        (
                            "last_assigned_at",
                            models.DateTimeField(verbose_name="last assigned automatically"),
                        ),
                    ],
                    options={
                        "verbose_name": "assignment turn",
                        "verbose_name_plural": "assignment turns",
                        "db_table": "analytics_assignmentturn",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
