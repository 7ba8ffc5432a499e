"""The answer-template and reply API; the same services as the pages.

Templates: every desk reads them; the secretariat and team leads create
them and publish versions. Replies: on an enquiry the user may see, read
with their delivery log, sent by agents and team leads.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from answers import services
from answers.api.serializers import (
    AnswerTemplateSerializer,
    AnswerTemplateVersionSerializer,
    NewAnswerTemplateSerializer,
    ReplySerializer,
    SendReplySerializer,
)
from answers.forms import start_of
from answers.models import AnswerTemplate, Reply, versions_in_force
from enquiries.api.views import ID_OR_REFERENCE, REFERENCE
from enquiries.models import Enquiry
from nemid_cases import moments
from nemid_cases.api import ApiViewMixin, NewestFirstPagination, error_responses
from nemid_cases.conditional import ConditionalListMixin

KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description=_("The template's key."))
ON = OpenApiParameter(
    "on",
    str,
    description=_("A day (YYYY-MM-DD): the version in force on that day instead of now."),
)
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
PUBLISH = ["answers.add_answertemplateversion"]
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}", re.ASCII)


class OnField(serializers.Serializer):
    on = moments.DayField(required=False)


def _moment(request: Request):
    given = OnField(data=request.query_params)
    given.is_valid(raise_exception=True)
    day = given.validated_data.get("on")
    if day is None:
        return timezone.now()
    return start_of(day) + timezone.timedelta(days=1) - timezone.timedelta(microseconds=1)


@extend_schema_view(
    list=extend_schema(
        summary=_("List answer templates"),
        description=_("Each with the version in force now, or on the day `on`."),
        parameters=[ON],
        responses={200: AnswerTemplateSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    create=extend_schema(
        summary=_("Create an answer template"),
        description=_(
            "Creates the template `key` with its first version. Placeholders are checked: "
            "an unknown one is a 400 naming it."
        ),
        request=NewAnswerTemplateSerializer,
        responses={201: AnswerTemplateVersionSerializer, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get an answer template"),
        parameters=[KEY, ON],
        responses={200: AnswerTemplateSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class AnswerTemplateViewSet(
    ApiViewMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AnswerTemplateSerializer
    pagination_class = None
    lookup_field = "key"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "create": ["answers.add_answertemplate", *PUBLISH],
        "versions": ["answers.view_answertemplateversion"],
        "publish": PUBLISH,
    }

    def get_queryset(self) -> QuerySet:
        return AnswerTemplate.objects.visible_to(self.request.user)

    def get_object(self) -> AnswerTemplate:
        # Only a slug can be a key: anything else (a NUL, which PostgreSQL
        # refuses) is not found without a query.
        if not SLUG.fullmatch(self.kwargs["key"]):
            raise Http404
        return super().get_object()

    def list(self, request: Request, *args, **kwargs) -> Response:
        templates = self.get_queryset()
        at = _moment(request)
        in_force = {version.template_id: version for version in versions_in_force(templates, at)}
        rows = list(templates)
        return self.conditional_list(
            rows,
            paginated=False,
            serialize=lambda: (
                AnswerTemplateSerializer(rows, many=True, context={"in_force": in_force}).data
            ),
            also=in_force.values(),
        )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        template = self.get_object()
        version = template.in_force(_moment(request))
        context = {"in_force": {template.pk: version} if version else {}}
        return Response(AnswerTemplateSerializer(template, context=context).data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        given = NewAnswerTemplateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = services.create_template(data.pop("key"), by=request.user, **data)
        return Response(
            AnswerTemplateVersionSerializer(version).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("List a template's versions"),
        description=_("Every version, newest first; earlier versions are never changed."),
        parameters=[KEY],
        responses={
            200: AnswerTemplateVersionSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, key: str) -> Response:
        template = self.get_object()
        versions = template.versions.select_related("template").order_by("-version")
        return Response(AnswerTemplateVersionSerializer(versions, many=True).data)

    @extend_schema(
        summary=_("Publish a new version"),
        description=_(
            "The next version of the template, in force from `valid_from` (now if empty). "
            "An unknown placeholder is a 400 naming it."
        ),
        parameters=[KEY],
        request=AnswerTemplateVersionSerializer,
        responses={
            201: AnswerTemplateVersionSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    @versions.mapping.post
    def publish(self, request: Request, key: str) -> Response:
        template = self.get_object()
        given = AnswerTemplateVersionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        version = services.publish_template_version(
            template, by=request.user, **given.validated_data
        )
        return Response(
            AnswerTemplateVersionSerializer(version).data, status=status.HTTP_201_CREATED
        )


class CreatedCursorPagination(NewestFirstPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    list=extend_schema(
        summary=_("List an enquiry's replies"),
        description=_("Newest first, each e-mail with its delivery log."),
        parameters=[ID_OR_REFERENCE],
        responses={200: ReplySerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Reply to the enquiry's citizen"),
        description=_(
            "By e-mail (queued in the outbox and sent after commit, with a Message-ID "
            "that carries the reference) or as a letter (a PDF for print). Empty subject "
            "or body come from `template_version`. With `wait_for_citizen` the enquiry "
            "moves to “waiting for citizen” in the same step. A citizen without an "
            "e-mail address is a 400 on `channel`."
        ),
        parameters=[ID_OR_REFERENCE],
        request=SendReplySerializer,
        responses={201: ReplySerializer, **error_responses(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary=_("Get a reply"),
        parameters=[ID_OR_REFERENCE, ID],
        responses={200: ReplySerializer, **error_responses(401, 403, 404)},
    ),
)
class ReplyViewSet(
    ApiViewMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReplySerializer
    pagination_class = CreatedCursorPagination
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_enquiry(self) -> Enquiry:
        key = self.kwargs["id_or_reference"]
        if key.isascii() and key.isdigit() and len(key) <= 18:
            lookup = {"pk": int(key)}
        elif REFERENCE.fullmatch(key):
            lookup = {"reference": key.upper()}
        else:
            raise Http404
        return get_object_or_404(Enquiry.objects.visible_to(self.request.user), **lookup)

    def get_queryset(self) -> QuerySet:
        return Reply.objects.visible_to(self.request.user).for_list()

    def list(self, request: Request, *args, **kwargs) -> Response:
        enquiry = self.get_enquiry()
        page = self.paginate_queryset(self.get_queryset().filter(enquiry=enquiry))
        return self.conditional_list(
            page, paginated=True, serialize=lambda: ReplySerializer(page, many=True).data
        )

    def get_object(self) -> Reply:
        key = self.kwargs["pk"]
        if not (key.isascii() and key.isdigit() and len(key) <= 18):
            raise Http404
        return get_object_or_404(self.get_queryset(), enquiry=self.get_enquiry(), pk=int(key))

    def create(self, request: Request, *args, **kwargs) -> Response:
        enquiry = self.get_enquiry()
        given = SendReplySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        reply = services.send_reply(enquiry, by=request.user, **given.validated_data)
        fresh = self.get_queryset().get(pk=reply.pk)
        return Response(ReplySerializer(fresh).data, status=status.HTTP_201_CREATED)
