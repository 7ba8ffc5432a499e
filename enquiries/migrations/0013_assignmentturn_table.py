# The moved AssignmentTurn gets its app's table name, and an existing
# database's content type (with the permissions the roles hold on it)
# follows the model instead of being left stale.

from django.db import migrations


def _move_content_type(apps, schema_editor, source, target):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label=target, model="assignmentturn").exists():
        return
    content_type.objects.filter(app_label=source, model="assignmentturn").update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "analytics", "enquiries")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "enquiries", "analytics")


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0012_assignmentturn_from_analytics"),
        ("analytics", "0003_assignmentturn_to_enquiries"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="assignmentturn", table=None),
        migrations.RunPython(forwards, backwards),
    ]
