"""The full-text index of the articles, one per database.

PostgreSQL: a GIN index on the Danish tsvector of `search_text`, the same
expression knowledge.search queries with. SQLite: an FTS5 table holding
each article's search text under its id (Article.save() rewrites it).
Each operation is a no-op on the other database.
"""

from django.db import migrations

PG_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_search_danish ON knowledge_article "
    "USING gin (to_tsvector('danish'::regconfig, COALESCE(search_text, '')))"
)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(PG_INDEX)
    elif connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_article_fts "
            "USING fts5(search_text, tokenize = 'unicode61 remove_diacritics 0')"
        )
        schema_editor.execute(
            "INSERT INTO knowledge_article_fts (rowid, search_text) "
            "SELECT id, search_text FROM knowledge_article"
        )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_danish")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_article_fts")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
