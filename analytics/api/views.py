from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.serializers import TopicShareQuerySerializer, TopicSharesSerializer
from analytics.models import TopicShare
from analytics.reports import topic_shares
from nemid_cases.api import ApiViewMixin, error_responses


class TopicShareView(ApiViewMixin, APIView):
    """Topic shares of a queue, per bucket or for any custom period.

    One object, not a list of rows, so a plain view rather than a ViewSet.
    """

    # Names the model whose permissions apply (view_topicshare to read); the
    # rows themselves come from analytics.reports.
    queryset = TopicShare.objects.none()

    @extend_schema(
        operation_id="topic_shares",
        summary=_("Topic shares of a queue"),
        parameters=[TopicShareQuerySerializer],
        responses={200: TopicSharesSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
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
