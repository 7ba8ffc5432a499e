"""The satisfaction API: survey results (secretariat writes) and ratings (read)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from feedback.api.serializers import (
    EnquiryRatingSerializer,
    RatingSummarySerializer,
    SurveyResultSerializer,
)
from feedback.filtersets import RatingFilterSet
from feedback.models import EnquiryRating, SurveyResult
from nemid_cases.api import (
    ApiViewMixin,
    NewestFirstPagination,
    NumericIdMixin,
    VersionedApiMixin,
    error_responses,
)
from nemid_cases.conditional import ConditionalListMixin

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


class RecordedCursorPagination(NewestFirstPagination):
    ordering = ("-recorded_at", "-id")


@extend_schema_view(
    list=extend_schema(
        summary=_("List survey results"),
        description=_(
            "Published satisfaction surveys, oldest first, in pages of 50 (`page`); a "
            "page past the last is a 404."
        ),
        responses={200: SurveyResultSerializer(many=True), **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Record a survey result"),
        description=_("Organisations are named by code. The share is in percent, one decimal."),
        responses={201: SurveyResultSerializer, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a survey result"),
        parameters=[ID],
        responses={200: SurveyResultSerializer, **error_responses(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary=_("Correct a survey result"),
        parameters=[ID],
        responses={200: SurveyResultSerializer, **error_responses(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary=_("Delete a survey result (administrators)"),
        parameters=[ID],
        responses={204: None, **error_responses(401, 403, 404)},
    ),
)
class SurveyResultViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    NumericIdMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Survey results: read by oversight roles, written by the secretariat."""

    serializer_class = SurveyResultSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # Any segment, so that a bad id is the API's JSON 404.

    def get_queryset(self) -> QuerySet:
        return SurveyResult.objects.visible_to(self.request.user).select_related(
            "conducted_by", "commissioned_by"
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List enquiry ratings"),
        description=_(
            "Ratings of the enquiries the user may see, newest first, in pages of "
            "`page_size` (default 50, at most 200); follow `next`. A cursor that is not "
            "one the API gave is a 404."
        ),
        responses={
            200: EnquiryRatingSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    ),
    retrieve=extend_schema(
        summary=_("Get an enquiry rating"),
        parameters=[ID],
        responses={200: EnquiryRatingSerializer, **error_responses(401, 403, 404)},
    ),
    summary=extend_schema(
        summary=_("Summarise enquiry ratings"),
        description=_("Count, mean and counts per score of the filtered ratings."),
        responses={200: RatingSummarySerializer, **error_responses(400, 401, 403)},
    ),
)
class EnquiryRatingViewSet(
    ApiViewMixin, NumericIdMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet
):
    """Ratings of resolved enquiries, by agents and by citizens; read only."""

    serializer_class = EnquiryRatingSerializer
    filterset_class = RatingFilterSet
    pagination_class = RecordedCursorPagination

    def get_queryset(self) -> QuerySet:
        return EnquiryRating.objects.visible_to(self.request.user).select_related(
            "enquiry__queue", "recorded_by"
        )

    @action(detail=False, methods=["get"], pagination_class=None)
    def summary(self, request: Request) -> Response:
        ratings = self.filter_queryset(self.get_queryset()).order_by()
        totals = ratings.summary()
        count = totals["count"]
        body = {
            "count": count,
            "mean": round(totals["mean"], 2) if totals["mean"] is not None else None,
            "satisfied": totals["satisfied"],
            "satisfied_share": round(100 * totals["satisfied"] / count, 1) if count else None,
            "by_agent": totals["by_agent"],
            "by_citizen": totals["by_citizen"],
            "scores": [
                {"score": score, "count": totals[f"score_{score}"]}
                for score in EnquiryRating.SCORES
            ],
        }
        return Response(RatingSummarySerializer(body).data)
