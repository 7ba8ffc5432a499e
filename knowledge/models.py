"""The knowledge base: articles for staff, versioned like the answer
templates (nemid_cases.text_versions), and a count of the suggestions the
desk used.

An article's wording lives in its versions; the article row holds what is
not wording (its category, owner, last review) and `search_text`, the
newest version's words, which the full-text index reads (knowledge.search).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from enquiries.models import Category, Enquiry, Topic
from nemid_cases.text_versions import TextVersion


class ArticleQuerySet(models.QuerySet["Article"]):
    def visible_to(self, user: Viewer) -> ArticleQuerySet:
        """Articles are shared by every queue; the permission decides."""
        if not user.is_authenticated or not user.has_perm("knowledge.view_article"):
            return self.none()
        return self

    def for_list(self) -> ArticleQuerySet:
        return self.select_related("category__topic", "topic", "owner")

    def public(self) -> ArticleQuerySet:
        """Articles flagged public, for anyone (the help pages, /help/); only
        their version in force is ever shown there."""
        return self.filter(is_public=True)


class Article(models.Model):
    """A guide for the desk (optionally also for citizens), known by its key."""

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("A stable key shared by every version, e.g. temporary-password."),
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("May also be shown to citizens.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
    )
    last_reviewed = models.DateField(_("last reviewed"), default=datetime.date.today)
    # The newest version's titles and texts, for the full-text index.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        indexes = [models.Index(fields=["category"], name="article_category")]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.key

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if connection.vendor == "sqlite":
            # PostgreSQL indexes the column itself (a GIN expression index);
            # SQLite keeps an FTS5 table beside it, rewritten here.
            from knowledge import search

            search.index_sqlite(self)

    def in_force(self, at: datetime.datetime | None = None) -> ArticleVersion | None:
        return ArticleVersion.in_force(self, at=at)


class ArticleVersion(TextVersion):
    """One published wording of an article, in Danish and English.

    `answer_*` is the part an agent inserts into a reply; a published
    version is never rewritten.
    """

    GROUP = "article"

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions"
    )
    title_da = models.CharField(_("Danish title"), max_length=200)
    body_da = models.TextField(_("Danish text"), max_length=20000)
    answer_da = models.TextField(_("Danish answer"), max_length=5000, blank=True)
    title_en = models.CharField(_("English title"), max_length=200)
    body_en = models.TextField(_("English text"), max_length=20000)
    answer_en = models.TextField(_("English answer"), max_length=5000, blank=True)

    class Meta:
        ordering = ["article", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="articleversion_unique")
        ]
        indexes = [models.Index(fields=["article", "valid_from"], name="articleversion_from")]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")

    def __str__(self) -> str:
        return f"{self.article} v{self.version}"

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title_da

    def body(self, language: str) -> str:
        return self.body_en if language.startswith("en") else self.body_da

    def answer(self, language: str) -> str:
        """The text to insert into a reply: the answer, else the text."""
        if language.startswith("en"):
            return self.answer_en or self.body_en
        return self.answer_da or self.body_da

    def search_words(self) -> str:
        return "\n".join(
            [
                self.title_da,
                self.title_en,
                self.body_da,
                self.body_en,
                self.answer_da,
                self.answer_en,
            ]
        )


class SuggestionUseQuerySet(models.QuerySet["SuggestionUse"]):
    def visible_to(self, user: Viewer) -> SuggestionUseQuerySet:
        if not user.is_authenticated or not user.has_perm("knowledge.view_suggestionuse"):
            return self.none()
        return self


class SuggestionUse(models.Model):
    """A suggested article or answer template that an agent inserted."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        TEMPLATE = "template", _("Answer template")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uses",
    )
    template = models.ForeignKey(
        "answers.AnswerTemplate",
        verbose_name=_("answer template"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestion_uses",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion_uses",
    )
    enquiry = models.ForeignKey(
        Enquiry,
        verbose_name=_("enquiry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion_uses",
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(_("used"), default=timezone.now)

    objects = SuggestionUseQuerySet.as_manager()

    class Meta:
        ordering = ["-used_at", "-id"]
        indexes = [models.Index(fields=["category", "used_at"], name="suggestionuse_category")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="article", article__isnull=False, template__isnull=True)
                | models.Q(kind="template", template__isnull=False, article__isnull=True),
                name="suggestionuse_one_target",
            )
        ]
        verbose_name = _("used suggestion")
        verbose_name_plural = _("used suggestions")

    def __str__(self) -> str:
        return f"{self.kind} {self.article_id or self.template_id} {self.used_at:%Y-%m-%d}"
