"""The known-problem API: record, link, unlink and resolve all at once.

The actions call problems.services, the same functions as the pages.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enquiries.linking import chosen_enquiries
from nemid_cases.api import (
    ApiViewMixin,
    NewestFirstPagination,
    NumericIdMixin,
    VersionedApiMixin,
    error_responses,
)
from nemid_cases.conditional import ConditionalListMixin
from problems import services
from problems.api.serializers import (
    KnownProblemSerializer,
    ProblemCountSerializer,
    ProblemLinkSerializer,
    ProblemResolutionSerializer,
    ProblemResolveSerializer,
)
from problems.models import BULK_LINK, KnownProblem

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
LINK = ["problems.add_knownproblemlink"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List known problems"),
        description=_("Newest first, with counts of linked enquiries and citizens."),
        responses={200: KnownProblemSerializer(many=True), **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Record a known problem"),
        responses={201: KnownProblemSerializer, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a known problem"),
        parameters=[ID],
        responses={200: KnownProblemSerializer, **error_responses(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary=_("Change a known problem"),
        parameters=[ID],
        responses={200: KnownProblemSerializer, **error_responses(400, 401, 403, 404)},
    ),
    link=extend_schema(
        summary=_("Link enquiries"),
        description=_(
            "Link the enquiries of `enquiries` (ids) or matching `filter`, those you may "
            "see; enquiries already linked are skipped. Returns how many were linked. "
            "A `filter` links in bulk: only for those who may record known problems."
        ),
        parameters=[ID],
        request=ProblemLinkSerializer,
        responses={200: ProblemCountSerializer, **error_responses(400, 401, 403, 404)},
    ),
    unlink=extend_schema(
        summary=_("Unlink enquiries"),
        parameters=[ID],
        request=ProblemLinkSerializer,
        responses={200: ProblemCountSerializer, **error_responses(400, 401, 403, 404)},
    ),
    resolve=extend_schema(
        summary=_("Resolve all at once"),
        description=_(
            "Resolve every linked open enquiry in one batch and e-mail the standard text "
            "to each citizen with an e-mail address; all or nothing."
        ),
        parameters=[ID],
        request=ProblemResolveSerializer,
        responses={201: ProblemResolutionSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class KnownProblemViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    NumericIdMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Known problems: read by every role, recorded by the secretariat and team leads."""

    serializer_class = KnownProblemSerializer
    pagination_class = NewestFirstPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "link": LINK,
        "unlink": ["problems.delete_knownproblemlink"],
        "resolve": ["problems.resolve_knownproblem"],
    }

    def get_queryset(self) -> QuerySet:
        return KnownProblem.objects.visible_to(self.request.user).with_counts()

    def perform_create(self, serializer) -> None:
        problem = KnownProblem(**serializer.validated_data)
        services.record_known_problem(problem, by=self.request.user)
        # Read back with its counts, which the answer documents.
        serializer.instance = self.get_queryset().get(pk=problem.pk)

    def perform_update(self, serializer) -> None:
        problem = serializer.save()
        serializer.instance = self.get_queryset().get(pk=problem.pk)

    def _chosen(self, request: Request) -> QuerySet:
        body = ProblemLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # A filter is the list's bulk link: the same right as the page's.
        if "filter" in body.validated_data and not request.user.has_perms(BULK_LINK):
            raise exceptions.PermissionDenied
        return chosen_enquiries(request, body.validated_data)

    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str) -> Response:
        problem = self.get_object()
        count = services.link_enquiries(problem, self._chosen(request), by=request.user)
        return Response({"count": count})

    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: str) -> Response:
        problem = self.get_object()
        count = services.unlink_enquiries(problem, self._chosen(request), by=request.user)
        return Response({"count": count})

    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        problem = self.get_object()
        body = ProblemResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.resolve_known_problem(
            problem, by=request.user, resolution=body.validated_data["resolution"]
        )
        return Response(ProblemResolutionSerializer(record).data, status=status.HTTP_201_CREATED)
