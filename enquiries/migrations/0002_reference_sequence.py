"""The PostgreSQL sequence behind enquiry references (SQLite uses a counter)."""

from django.db import migrations


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS enquiry_reference_seq")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS enquiry_reference_seq")


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_initial")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
