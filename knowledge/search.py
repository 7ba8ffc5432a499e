"""Full-text search over the articles: Danish on PostgreSQL, FTS5 on SQLite.

PostgreSQL: the column `search_vector`, generated as
`to_tsvector('danish', search_text)` and GIN-indexed (migrations 0002 and
0003), matched with `to_tsquery('danish', 'w1:* | w2:*')` and ranked by
ts_rank; Danish stemming finds "nøglekortet" for "nøglekortene".
SQLite (the embedded default): an FTS5 table `knowledge_article_fts`
(rowid = article id, also migration 0002), rewritten by Article.save().
Both return article ids, best first; the caller scopes them.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL

from enquiries.cpr import redact_cpr

CONFIG = "danish"
WORD = re.compile(r"\w+", re.UNICODE)
# Words shorter than this are noise in a half-typed subject.
MIN_WORD = 2
MAX_WORDS = 12


def words(text: str) -> list[str]:
    """The search words of `text`, a CPR number never among them."""
    found = [w.lower() for w in WORD.findall(redact_cpr(text or "")) if len(w) >= MIN_WORD]
    # redact_cpr leaves "110682-xxxx": neither part is a word to search.
    return [w for w in found if not w.isdigit() and w != "xxxx"][:MAX_WORDS]


def vector() -> RawSQL:
    """The stored Danish tsvector of `search_text` (PostgreSQL only): a
    generated column Django does not know (migration 0003)."""
    return RawSQL('"knowledge_article"."search_vector"', [], output_field=SearchVectorField())


def index_sqlite(article) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM knowledge_article_fts WHERE rowid = %s", [article.pk])
        cursor.execute(
            "INSERT INTO knowledge_article_fts (rowid, search_text) VALUES (%s, %s)",
            [article.pk, article.search_text],
        )


def matching_ids(articles, text: str, *, limit: int) -> list[int]:
    """Ids of `articles` (a scoped QuerySet) matching `text`, best first."""
    found = words(text)
    if not found:
        return []
    if connection.vendor == "postgresql":
        # Any word may match (OR), each as a prefix of a stem: the agent is
        # still typing the last one.
        query = SearchQuery(" | ".join(f"{w}:*" for w in found), config=CONFIG, search_type="raw")
        return list(
            articles.alias(search_vector=vector())
            .annotate(rank=SearchRank(F("search_vector"), query))
            .filter(search_vector=query)
            .order_by("-rank", "key")
            .values_list("pk", flat=True)[:limit]
        )
    # FTS5: each word quoted (no operator can be injected), as a prefix.
    match = " OR ".join('"' + w.replace('"', "") + '"*' for w in found)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM knowledge_article_fts WHERE knowledge_article_fts MATCH %s "
            "ORDER BY rank LIMIT %s",
            [match, limit * 4],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    allowed = set(articles.filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in allowed][:limit]
