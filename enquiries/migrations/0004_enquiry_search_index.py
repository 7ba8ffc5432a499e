"""Full-text index for enquiry search on PostgreSQL (Danish configuration).

The expression matches EnquiryQuerySet.search() exactly, so the planner can
use it. SQLite has no equivalent and searches by substring instead.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS enquiry_search_da ON enquiries_enquiry USING gin "
    "(to_tsvector('danish'::regconfig, COALESCE(subject, '') || ' ' || "
    "COALESCE(description, '')))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enquiry_search_da")


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0003_queue_auto_assign")]

    operations = [migrations.RunPython(create_index, drop_index)]
