# AssignmentTurn now belongs to enquiries (enquiries 0012 took over its
# state and table): drop it from analytics' state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_day_summaries"),
        ("enquiries", "0012_assignmentturn_from_analytics"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AssignmentTurn")],
            database_operations=[],
        ),
    ]
