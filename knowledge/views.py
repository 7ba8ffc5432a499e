"""The knowledge-base pages, the suggestion panel beside the enquiry forms
and the secretariat's list of categories without an article.

Articles are read from Article.objects.visible_to(user), enquiries from
Enquiry.objects.visible_to(user); every write is a service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from answers.models import AnswerTemplate
from enquiries.models import Enquiry
from knowledge import services
from knowledge.forms import VERSION_FIELDS, ArticleVersionForm, NewArticleForm, SuggestForm, UseForm
from knowledge.models import Article, ArticleVersion
from nemid_cases.views import PermissionView as SharedPermissionView
from nemid_cases.views import add_service_errors

# The gaps page counts the enquiries of this many days.
GAP_DAYS = 90


class PermissionView(SharedPermissionView):
    """The project's PermissionView (nemid_cases.views) with this app's look-ups."""

    def get_article(self, key: str) -> Article:
        return get_object_or_404(Article.objects.visible_to(self.request.user), key=key)


class ArticleListView(PermissionView):
    permission_required = "knowledge.view_article"

    def get(self, request: HttpRequest) -> HttpResponse:
        articles = list(Article.objects.visible_to(request.user).for_list())
        in_force = ArticleVersion.in_force_of(Article.objects.visible_to(request.user))
        rows = [(article, in_force.get(article.pk)) for article in articles]
        return render(request, "knowledge/article_list.html", {"rows": rows})


class ArticleDetailView(PermissionView):
    permission_required = "knowledge.view_article"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        article = get_object_or_404(Article.objects.visible_to(request.user).for_list(), key=key)
        versions = list(article.versions.select_related("created_by").order_by("-version"))
        return render(
            request,
            "knowledge/article_detail.html",
            {"article": article, "versions": versions, "in_force": article.in_force()},
        )


class ArticleCreateView(PermissionView):
    permission_required = ["knowledge.add_article", "knowledge.add_articleversion"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "knowledge/article_form.html", {"form": NewArticleForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NewArticleForm(request.POST)
        if form.is_valid():
            try:
                version = services.create_article(
                    form.cleaned_data["key"],
                    by=request.user,
                    category=form.cleaned_data["category"],
                    is_public=form.cleaned_data["is_public"],
                    **form.version_values(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                key = version.article.key
                messages.success(request, _("Article %(key)s created.") % {"key": key})
                return redirect("knowledge:article-detail", key=key)
        return render(request, "knowledge/article_form.html", {"form": form})


class VersionCreateView(PermissionView):
    """Publish a new version (an edit), starting from the one in force."""

    permission_required = "knowledge.add_articleversion"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        article = self.get_article(key)
        current = article.in_force() or article.versions.order_by("-version").first()
        initial = {f: getattr(current, f) for f in VERSION_FIELDS} if current else {}
        form = ArticleVersionForm(initial=initial)
        return render(request, "knowledge/article_form.html", {"form": form, "article": article})

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        article = self.get_article(key)
        form = ArticleVersionForm(request.POST)
        if form.is_valid():
            try:
                version = services.publish_article_version(
                    article, by=request.user, **form.version_values()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Version %(version)s published.") % {"version": version.version}
                )
                return redirect("knowledge:article-detail", key=article.key)
        return render(request, "knowledge/article_form.html", {"form": form, "article": article})


class SuggestView(PermissionView):
    """The panel beside the log form and the reply: a partial for fetch()."""

    permission_required = "knowledge.view_article"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SuggestForm(request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        suggestions = services.suggest(
            request.user, text=data.get("subject", ""), category=data.get("category")
        )
        language = data.get("language") or get_language() or "da"
        return render(
            request,
            "knowledge/partials/suggestions.html",
            {
                "suggestions": suggestions,
                "language": "en" if language.startswith("en") else "da",
                "category": data.get("category"),
                "enquiry": data.get("enquiry", ""),
                "can_insert": request.GET.get("insert") == "1",
            },
        )


class UseView(PermissionView):
    """Count an inserted suggestion (sent by the insert button's script)."""

    permission_required = "knowledge.add_suggestionuse"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UseForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        data = form.cleaned_data
        article = template = enquiry = None
        if data["article"]:
            article = get_object_or_404(
                Article.objects.visible_to(request.user), key=data["article"]
            )
        elif data["template"]:
            template = get_object_or_404(
                AnswerTemplate.objects.visible_to(request.user), key=data["template"]
            )
        if data["enquiry"]:
            enquiry = get_object_or_404(
                Enquiry.objects.visible_to(request.user), reference=data["enquiry"]
            )
        try:
            services.record_use(
                by=request.user,
                article=article,
                template=template,
                category=data["category"],
                enquiry=enquiry,
            )
        except ValidationError:
            return HttpResponse(status=400)
        return HttpResponse(status=204)


class GapsView(PermissionView):
    """Categories with many enquiries and no article: guides to write."""

    permission_required = "knowledge.view_suggestionuse"

    def get(self, request: HttpRequest) -> HttpResponse:
        since = timezone.now() - timezone.timedelta(days=GAP_DAYS)
        categories = list(services.category_gaps(since=since)[:100])
        return render(request, "knowledge/gaps.html", {"categories": categories, "days": GAP_DAYS})
