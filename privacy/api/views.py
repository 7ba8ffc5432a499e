"""The data-request API: find a citizen by CPR number, export, erase, and the log.

The same services as the pages (privacy.services), so a request handled
through the API is logged and refused exactly as on the pages.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from nemid_cases.api import ApiViewMixin, error_responses
from nemid_cases.conditional import ConditionalListMixin
from privacy import services
from privacy.api.serializers import (
    AccessExportSerializer,
    CprSerializer,
    DataRequestSerializer,
    ReasonSerializer,
    RequestCitizenSerializer,
)
from privacy.models import DataRequest, requestable_citizens

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
NO_STORE = OpenApiParameter(
    "Cache-Control", str, OpenApiParameter.HEADER, description="no-store", response=[200]
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the data requests handled"),
        description=_("Access exports and erasures, newest first, in pages of 50 (`page`)."),
        responses={200: DataRequestSerializer(many=True), **error_responses(401, 403, 404)},
    ),
)
class DataRequestViewSet(
    ApiViewMixin, ConditionalListMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The log of requests handled, and finding the citizen a request is about."""

    serializer_class = DataRequestSerializer
    action_permissions = {"lookup": ["privacy.view_datarequest"]}

    def get_queryset(self) -> QuerySet:
        return (
            DataRequest.objects.visible_to(self.request.user)
            .select_related("handled_by")
            .order_by("-handled_at", "-id")
        )

    @extend_schema(
        summary=_("Find the citizen a request is about"),
        description=_(
            "An exact CPR number, in the body so it never appears in a URL. 404 when no "
            "citizen has it (an erased citizen has none)."
        ),
        request=CprSerializer,
        responses={200: RequestCitizenSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def lookup(self, request: Request) -> Response:
        serializer = CprSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        citizen = (
            requestable_citizens(request.user).with_cpr(serializer.validated_data["cpr"]).first()
        )
        if citizen is None:
            raise Http404(_("No citizen has this CPR number."))
        return Response(RequestCitizenSerializer(citizen).data)


class DataRequestCitizenViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """A citizen's access export (art. 15) and erasure (art. 17)."""

    serializer_class = RequestCitizenSerializer
    lookup_value_regex = "[^/]+"
    action_permissions = {
        "export": ["privacy.export_citizen_data"],
        "erase": ["privacy.erase_citizen"],
    }

    def get_queryset(self) -> QuerySet:
        return requestable_citizens(self.request.user)

    @extend_schema(
        summary=_("Export everything held about a citizen"),
        description=_(
            "GDPR article 15: the citizen, their enquiries with timelines and ratings, the "
            "e-mails sent to them, every reveal of their CPR number and the requests "
            "handled. Shows the full CPR number, so it is logged as a CPR reveal and as a "
            "data request. The response must not be cached."
        ),
        request=ReasonSerializer,
        parameters=[ID, NO_STORE],
        responses={200: AccessExportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def export(self, request: Request, *args, **kwargs) -> Response:
        citizen = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _request, data = services.export_citizen_data(
            citizen, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(data, headers={"Cache-Control": "no-store"})

    @extend_schema(
        summary=_("Erase a citizen's personal data"),
        description=_(
            "GDPR article 17: anonymises the citizen and every enquiry of theirs at once, "
            "keeping the statistics, the cases' existence and dates and the logs. Refused "
            "(400 on `citizen`) while an enquiry of theirs is open. Erasing an erased "
            "citizen changes nothing and returns the first erasure."
        ),
        request=ReasonSerializer,
        parameters=[ID],
        responses={201: DataRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, *args, **kwargs) -> Response:
        citizen = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data_request = services.erase_citizen(
            citizen, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(DataRequestSerializer(data_request).data, status=status.HTTP_201_CREATED)
