"""The knowledge base in the admin: read only. Articles are written on the
pages and through the API, which version them and keep the search index."""

from django.contrib import admin

from answers.admin import ReadOnlyAdmin
from knowledge.models import Article, ArticleVersion, SuggestionUse


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("key", "category", "owner", "last_reviewed", "is_public")
    list_filter = ("is_public", "last_reviewed")
    search_fields = ("key", "search_text")
    list_select_related = ("category__topic", "owner")


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    list_display = ("article", "version", "valid_from", "title_da")
    list_filter = ("valid_from",)
    search_fields = ("article__key", "title_da", "title_en")
    list_select_related = ("article",)


@admin.register(SuggestionUse)
class SuggestionUseAdmin(ReadOnlyAdmin):
    list_display = ("kind", "article", "template", "category", "used_at")
    list_filter = ("kind", "used_at")
    search_fields = ("article__key", "template__key")
    list_select_related = ("article", "template", "category__topic")
