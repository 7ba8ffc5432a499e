"""The public help pages: the articles flagged public, for citizens.

Anonymous (login_not_required), GET only and free of cookies and CSRF
tokens, like the status page (notices/status_views.py), so browsers and
proxies may cache them: `Cache-Control: public`, an ETag over what is shown
and a 304 for a matching If-None-Match. Only the version in force of an
article flagged public is shown; a staff-only article, or a public one
whose first version is not yet in force, is a 404.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.decorators import method_decorator

from knowledge.models import Article, ArticleVersion
from nemid_cases.views import PermissionView

MAX_AGE = 60


def _language(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang") == "en" else "da"


def _etag(language: str, shown: list[tuple[Article, ArticleVersion]]) -> str:
    """Changes when an article is shown or hidden, a version comes into
    force, or an article moves to another category."""
    parts = [language, *(f"{a.pk}:{a.category_id}:{a.last_reviewed}:{v.pk}" for a, v in shown)]
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def _serve(request: HttpRequest, template: str, context: dict, etag: str) -> HttpResponse:
    tags = request.headers.get("If-None-Match", "")
    if etag in [tag.strip() for tag in tags.split(",")]:
        response = HttpResponseNotModified()
    else:
        with translation.override(context["language"]):
            response = HttpResponse(render_to_string(template, context))
    response["Content-Language"] = context["language"]
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["ETag"] = etag
    return response


@method_decorator(login_not_required, name="dispatch")
class HelpIndexView(PermissionView):
    """Every public article in force, by title."""

    permission_required = ()
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        language = _language(request)
        articles = Article.objects.public().select_related("category__topic", "topic")
        in_force = ArticleVersion.in_force_of(articles)
        shown = [(a, in_force[a.pk]) for a in articles if a.pk in in_force]
        shown.sort(key=lambda row: row[1].title(language).lower())
        rows = [(article, version.title(language)) for article, version in shown]
        context = {"language": language, "rows": rows}
        return _serve(request, "knowledge/help_index.html", context, _etag(language, shown))


@method_decorator(login_not_required, name="dispatch")
class HelpArticleView(PermissionView):
    """One public article: its version in force, in Danish or English."""

    permission_required = ()
    http_method_names = ["get"]

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        language = _language(request)
        article = (
            Article.objects.public().select_related("category__topic", "topic").filter(key=key)
        ).first()
        version = article.in_force() if article is not None else None
        if version is None:
            raise Http404("No such help article.")
        context = {
            "language": language,
            "article": article,
            "title": version.title(language),
            "body": version.body(language),
        }
        etag = _etag(language, [(article, version)])
        return _serve(request, "knowledge/help_article.html", context, etag)
