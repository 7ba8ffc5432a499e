from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.serializers import TopicShareQuerySerializer, TopicSharesSerializer
from analytics.reports import topic_shares


class CanReadTopicShares(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("analytics.view_topicshare")


class TopicShareViewSet(viewsets.ViewSet):
    """Topic shares of a queue, per bucket or for any custom period."""

    permission_classes = [permissions.IsAuthenticated, CanReadTopicShares]

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # Token clients have no session: DRF authenticates and checks here.
        return login_not_required(super().as_view(actions, **initkwargs))

    @extend_schema(
        operation_id="topic_shares",
        parameters=[TopicShareQuerySerializer],
        responses={
            200: TopicSharesSerializer,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=_("A parameter is wrong; the body names it."),
                examples=[
                    OpenApiExample(
                        "Bad granularity",
                        value={"granularity": ["“year” is not a valid choice."]},
                    )
                ],
            ),
            403: OpenApiResponse(description=_("Not logged in, or not allowed to read shares.")),
        },
    )
    def list(self, request: Request) -> Response:
        """Counts and shares (percent, one decimal) per topic or category.

        Buckets are days, ISO weeks or months overlapping [start, end];
        `granularity=period` sums exactly [start, end] into one bucket.
        Support staff see only their own queues.
        """
        query = TopicShareQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        buckets = topic_shares(
            params["queue"],
            granularity=params["granularity"],
            start=params["start"],
            end=params["end"],
            basis=params["basis"],
            level=params["level"],
        )
        return Response(TopicSharesSerializer({**params, "buckets": buckets}).data)
