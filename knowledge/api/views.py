"""The knowledge-base API; the same services as the pages.

Every desk reads the articles and asks for suggestions; the secretariat
(and administrators) create articles and publish versions. An edit is a
new version, never a change to a published one.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from enquiries.models import Category
from knowledge import services
from knowledge.api.serializers import (
    ArticleSerializer,
    ArticleVersionSerializer,
    NewArticleSerializer,
    SuggestionsSerializer,
    SuggestQuerySerializer,
)
from knowledge.models import Article, ArticleVersion
from nemid_cases.api import ApiViewMixin, error_responses
from nemid_cases.conditional import ConditionalListMixin

KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description=_("The article's key."))
WRITE = ["knowledge.add_articleversion"]
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}", re.ASCII)


class KeyCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("key",)


@extend_schema_view(
    list=extend_schema(
        summary=_("List knowledge-base articles"),
        description=_("By key, each with the version in force now."),
        # 404: a cursor that is not one this list gave out.
        responses={200: ArticleSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Create an article"),
        description=_("Creates the article `key` with its first version."),
        request=NewArticleSerializer,
        responses={201: ArticleVersionSerializer, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get an article"),
        parameters=[KEY],
        responses={200: ArticleSerializer, **error_responses(401, 403, 404)},
    ),
)
class ArticleViewSet(
    ApiViewMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ArticleSerializer
    pagination_class = KeyCursorPagination
    lookup_field = "key"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "create": ["knowledge.add_article", *WRITE],
        "versions": ["knowledge.view_articleversion"],
        "publish": WRITE,
        "suggestions": ["knowledge.view_article"],
    }

    def get_queryset(self) -> QuerySet:
        return Article.objects.visible_to(self.request.user).select_related("owner")

    def get_object(self) -> Article:
        if not SLUG.fullmatch(self.kwargs["key"]):
            raise Http404
        return super().get_object()

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        in_force = ArticleVersion.in_force_of(Article.objects.filter(pk__in=[a.pk for a in page]))
        return self.conditional_list(
            page,
            paginated=True,
            serialize=lambda: (
                ArticleSerializer(page, many=True, context={"in_force": in_force}).data
            ),
            also=in_force.values(),
        )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        article = self.get_object()
        version = article.in_force()
        context = {"in_force": {article.pk: version} if version else {}}
        return Response(ArticleSerializer(article, context=context).data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        given = NewArticleSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = services.create_article(data.pop("key"), by=request.user, **data)
        return Response(ArticleVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("List an article's versions"),
        description=_("Every version, newest first; earlier versions are never changed."),
        parameters=[KEY],
        responses={200: ArticleVersionSerializer(many=True), **error_responses(401, 403, 404)},
    )
    # Every version in one answer (an article has a handful), not paged.
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request: Request, key: str) -> Response:
        article = self.get_object()
        versions = article.versions.select_related("article").order_by("-version")
        return Response(ArticleVersionSerializer(versions, many=True).data)

    @extend_schema(
        summary=_("Publish a new version of an article"),
        description=_(
            "An edit: the next version, in force from `valid_from` (now if empty). "
            "The article's last review moves to today."
        ),
        parameters=[KEY],
        request=ArticleVersionSerializer,
        responses={201: ArticleVersionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @versions.mapping.post
    def publish(self, request: Request, key: str) -> Response:
        article = self.get_object()
        given = ArticleVersionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        version = services.publish_article_version(article, by=request.user, **given.validated_data)
        return Response(ArticleVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Suggested articles and answer templates"),
        description=_(
            "The best articles (Danish full-text search on the subject, then the "
            "category's own) and answer templates for what the agent has typed."
        ),
        parameters=[SuggestQuerySerializer],
        responses={200: SuggestionsSerializer, **error_responses(400, 401, 403)},
    )
    @action(detail=False, methods=["get"])
    def suggestions(self, request: Request) -> Response:
        given = SuggestQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        category_id = given.validated_data.get("category")
        category = (
            Category.objects.select_related("topic").filter(pk=category_id).first()
            if category_id
            else None
        )
        found = services.suggest(
            request.user, text=given.validated_data.get("subject", ""), category=category
        )
        return Response(
            SuggestionsSerializer({"articles": found.articles, "templates": found.templates}).data
        )
