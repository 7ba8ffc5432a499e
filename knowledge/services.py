"""Writing articles, suggesting them while an agent types, and counting
the suggestions used. The pages and the API call these same functions.

Publishing reuses the answer templates' versioning (TextVersion): a change
is a new version with the moment it takes effect; earlier ones are kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from answers.models import AnswerTemplate, AnswerTemplateVersion, versions_in_force
from enquiries.models import Category, Enquiry
from knowledge import search
from knowledge.models import Article, ArticleVersion, SuggestionUse

# At most this many of each kind beside the form.
SHOWN = 5
TEXT_FIELDS = ("title_da", "body_da", "answer_da", "title_en", "body_en", "answer_en")


def _check_write_permission(by: User | None) -> None:
    if by is not None and not by.has_perm("knowledge.add_articleversion"):
        raise PermissionDenied(_("You may not write knowledge-base articles."))


@transaction.atomic
def publish_article_version(
    article: Article,
    *,
    title_da: str,
    body_da: str,
    title_en: str,
    body_en: str,
    answer_da: str = "",
    answer_en: str = "",
    valid_from: datetime.datetime | None = None,
    last_reviewed: datetime.date | None = None,
    by: User | None,
) -> ArticleVersion:
    """Publish the next version of `article`; earlier versions stay.

    Publishing is a review: the article's "last reviewed" moves to today
    (or the date given) and its search text to the new wording.
    """
    _check_write_permission(by)
    version = ArticleVersion.add_version(
        article,
        by=by,
        valid_from=valid_from,
        title_da=title_da,
        body_da=body_da,
        answer_da=answer_da,
        title_en=title_en,
        body_en=body_en,
        answer_en=answer_en,
    )
    article.search_text = version.search_words()
    article.last_reviewed = last_reviewed or timezone.localdate()
    article.save(update_fields=["search_text", "last_reviewed"])
    return version


@transaction.atomic
def create_article(
    key: str,
    *,
    by: User | None,
    category: Category | None = None,
    owner: User | None = None,
    is_public: bool = False,
    **first_version: Any,
) -> ArticleVersion:
    """Create the article `key` with its first version (all or nothing)."""
    _check_write_permission(by)
    if Article.objects.filter(key=key).exists():
        raise ValidationError({"key": [_("An article with this key exists; publish a version.")]})
    article = Article.objects.create(
        key=key,
        category=category,
        topic=category.topic if category else None,
        owner=owner or (by if by is not None and by.is_authenticated else None),
        is_public=is_public,
    )
    return publish_article_version(article, by=by, **first_version)


@dataclass(frozen=True)
class Suggestions:
    articles: list[ArticleVersion]
    templates: list[AnswerTemplateVersion]


def suggest(
    user: User, *, text: str = "", category: Category | None = None, limit: int = SHOWN
) -> Suggestions:
    """The best articles and answer templates for a subject and category.

    Articles: full-text matches on `text` first, then the category's own
    articles. Templates (a few dozen at most): those whose wording in force
    shares a word with `text`. Constant queries whatever the number found.
    """
    articles = Article.objects.visible_to(user)
    ids = search.matching_ids(articles, text, limit=limit) if text else []
    if category is not None and len(ids) < limit:
        same = articles.filter(Q(category=category) | Q(category=None, topic=category.topic_id))
        more = same.exclude(pk__in=ids).order_by("-last_reviewed", "key")
        ids += list(more.values_list("pk", flat=True)[: limit - len(ids)])
    in_force = ArticleVersion.in_force_of(Article.objects.filter(pk__in=ids)) if ids else {}
    # Each version comes with its article (TextVersion.in_force_of).
    found = [in_force[pk] for pk in ids if pk in in_force]
    return Suggestions(articles=found, templates=_templates(user, text, limit))


def _templates(user: User, text: str, limit: int) -> list[AnswerTemplateVersion]:
    wanted = set(search.words(text))
    if not wanted:
        return []
    scored = []
    for version in versions_in_force(AnswerTemplate.objects.visible_to(user)):
        words = set(
            search.words(
                " ".join(
                    [
                        version.template.key.replace("-", " "),
                        version.subject_da,
                        version.subject_en,
                        version.body_da,
                        version.body_en,
                    ]
                )
            )
        )
        score = sum(1 for w in wanted if any(x.startswith(w) for x in words))
        if score:
            scored.append((-score, version.template.key, version))
    return [version for *_key, version in sorted(scored, key=lambda s: s[:2])][:limit]


def record_use(
    *,
    by: User,
    article: Article | None = None,
    template: AnswerTemplate | None = None,
    category: Category | None = None,
    enquiry: Enquiry | None = None,
) -> SuggestionUse:
    """Count that a suggestion was inserted into a reply."""
    if (article is None) == (template is None):
        raise ValidationError({"article": [_("Give an article or an answer template.")]})
    if category is None and enquiry is not None:
        category = enquiry.category
    return SuggestionUse.objects.create(
        kind=SuggestionUse.Kind.ARTICLE if article else SuggestionUse.Kind.TEMPLATE,
        article=article,
        template=template,
        category=category,
        enquiry=enquiry,
        used_by=by,
    )


def category_gaps(*, since: datetime.datetime, min_enquiries: int = 1) -> QuerySet[Category]:
    """Categories by enquiries since `since`, with their articles and the
    suggestions used: those with many enquiries and no article are where a
    guide is missing ("more guides on nemid.nu"). One query."""

    def count(queryset: QuerySet[Any], field: str = "category") -> Coalesce:
        return Coalesce(
            Subquery(
                queryset.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return (
        Category.objects.select_related("topic__queue")
        .annotate(
            enquiry_count=count(Enquiry.objects.filter(received_at__gte=since)),
            article_count=count(Article.objects.all()),
            used_count=count(SuggestionUse.objects.all()),
        )
        .filter(enquiry_count__gte=min_enquiries)
        .order_by("article_count", "-enquiry_count", "name_da")
    )
