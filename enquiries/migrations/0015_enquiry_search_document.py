"""The enquiry's search words, stored (PostgreSQL), with a GIN index on them.

Replaces the expression index of 0004: a search used to parse each row's
subject and description while it counted its matches. Adding a stored
generated column rewrites the table under an exclusive lock (about a
minute at a million enquiries): run it in a maintenance window.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import enquiries.models

CREATE = (
    "CREATE INDEX IF NOT EXISTS enquiry_search_document ON enquiries_enquiry "
    "USING gin (search_document)"
)
OLD = (
    "CREATE INDEX IF NOT EXISTS enquiry_search_da ON enquiries_enquiry USING gin "
    "(to_tsvector('danish'::regconfig, COALESCE(subject, '') || ' ' || "
    "COALESCE(description, '')))"
)


def use_the_stored_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enquiry_search_da")
        schema_editor.execute(CREATE)


def use_the_expression(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enquiry_search_document")
        schema_editor.execute(OLD)


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0014_enquiryevent_reply")]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=enquiries.models.SearchDocument(
                    "subject", "description", config="danish"
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(use_the_stored_document, use_the_expression),
    ]
