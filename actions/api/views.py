"""The actions API: reads scoped by `visible_to`, writes through the services.

Permissions are the role table's model permissions (RolePermissions): reads
need `actions.view_action`, each write its own add/change permission.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from actions import services
from actions.api.serializers import (
    ActionEventSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    ActionWriteSerializer,
    KpiReadingSerializer,
    KpiReadingWriteSerializer,
    KpiSerializer,
    KpiWriteSerializer,
    ProgressUpdateWriteSerializer,
    StatusChangeSerializer,
    ThemeSerializer,
)
from actions.filtersets import ActionFilterSet, ThemeFilterSet
from actions.models import Action, ActionEvent, ActionUpdate, Kpi, Theme
from nemid_cases.api import ApiViewMixin, VersionedApiMixin, error_responses
from nemid_cases.conditional import ConditionalListMixin


@extend_schema_view(
    list=extend_schema(
        summary=_("List themes"),
        responses={200: ThemeSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary=_("Get a theme"),
        responses={200: ThemeSerializer, **error_responses(401, 403, 404)},
    ),
)
class ThemeViewSet(ApiViewMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """What actions are about (support, communication, log-out...); admins add more."""

    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    lookup_value_regex = "[0-9]{1,18}"


@extend_schema_view(
    list=extend_schema(
        summary=_("List actions"),
        description=_("Filtered like the action list page; sorted by the end of the due range."),
        responses={200: ActionSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary=_("Get an action"),
        responses={200: ActionSerializer, **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Create an action"),
        request=ActionWriteSerializer,
        responses={201: ActionSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary=_("Change an action's fields (not its status)"),
        request=ActionWriteSerializer,
        responses={200: ActionSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class ActionViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Actions with their progress updates and KPI readings.

    Status changes, progress updates, KPIs and readings have their own
    routes, each calling the same service as the HTML pages.
    """

    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[0-9]{1,18}"
    # Reads of the nested lists need view_action (the default for GET).
    action_permissions = {
        "change_status": ["actions.change_action"],
        "add_update": ["actions.view_action", "actions.add_actionupdate"],
        "add_kpi": ["actions.view_action", "actions.add_kpi"],
        "record_reading": ["actions.view_action", "actions.add_kpireading"],
    }

    def get_queryset(self):
        return (
            Action.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related(
                "origin_recommendations",
                "origin_meetings",
                "origin_topics",
                "origin_categories",
                "follow_ups",
                "kpis__readings",
                "updates__author",
            )
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _read(self, action: Action, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=action.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ActionWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        action = services.create_action(data.pop("owner"), by=request.user, **data)
        return self._read(action, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        action = self.get_object()
        serializer = ActionWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.update_action(action, by=request.user, changes=dict(serializer.validated_data))
        return self._read(action)

    @extend_schema(
        summary=_("Change an action's status"),
        description=_(
            "Found insufficient requires `follow_up` (an existing action) or "
            "`new_follow_up`; the follow-up's `follows_up` then points back."
        ),
        request=StatusChangeSerializer,
        responses={200: ActionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @route(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk=None) -> Response:
        action = self.get_object()
        serializer = StatusChangeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        follow_up = data["follow_up"]
        if follow_up is None and data["new_follow_up"]:
            follow_up = services.NewFollowUp(**data["new_follow_up"])
        services.change_action_status(
            action,
            to=data["status"],
            by=request.user,
            note=data["note"],
            follow_up=follow_up,
            completed_on=data["completed_on"],
        )
        return self._read(action)

    @extend_schema(
        summary=_("List an action's progress updates"),
        responses={200: ActionUpdateSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @route(
        detail=True,
        methods=["get"],
        url_path="updates",
        pagination_class=None,
        filterset_class=None,
    )
    def updates(self, request: Request, pk=None) -> Response:
        action = self.get_object()
        rows = ActionUpdate.objects.filter(action=action).select_related("author")
        return Response(ActionUpdateSerializer(rows, many=True).data)

    @extend_schema(
        summary=_("Add a progress update"),
        request=ProgressUpdateWriteSerializer,
        responses={201: ActionUpdateSerializer, **error_responses(400, 401, 403, 404)},
    )
    @updates.mapping.post
    def add_update(self, request: Request, pk=None) -> Response:
        action = self.get_object()
        serializer = ProgressUpdateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = services.add_progress_update(action, by=request.user, **serializer.validated_data)
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("List an action's KPIs with their readings"),
        responses={200: KpiSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @route(
        detail=True, methods=["get"], url_path="kpis", pagination_class=None, filterset_class=None
    )
    def kpis(self, request: Request, pk=None) -> Response:
        action = self.get_object()
        rows = Kpi.objects.filter(action=action).prefetch_related("readings")
        return Response(KpiSerializer(rows, many=True).data)

    @extend_schema(
        summary=_("Add a KPI"),
        request=KpiWriteSerializer,
        responses={201: KpiSerializer, **error_responses(400, 401, 403, 404)},
    )
    @kpis.mapping.post
    def add_kpi(self, request: Request, pk=None) -> Response:
        action = self.get_object()
        serializer = KpiWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kpi = services.add_kpi(action, by=request.user, **serializer.validated_data)
        return Response(KpiSerializer(kpi).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Record a KPI reading"),
        request=KpiReadingWriteSerializer,
        responses={201: KpiReadingSerializer, **error_responses(400, 401, 403, 404)},
    )
    @route(
        detail=True,
        methods=["post"],
        url_path=r"kpis/(?P<kpi_pk>[0-9]{1,18})/readings",
        url_name="kpi-readings",
    )
    def record_reading(self, request: Request, pk=None, kpi_pk=None) -> Response:
        action = self.get_object()
        kpi = get_object_or_404(Kpi, pk=kpi_pk, action=action)
        serializer = KpiReadingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reading = services.record_kpi_reading(kpi, by=request.user, **serializer.validated_data)
        return Response(KpiReadingSerializer(reading).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("An action's timeline: who changed what, and when"),
        responses={200: ActionEventSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @route(
        detail=True,
        methods=["get"],
        url_path="timeline",
        pagination_class=None,
        filterset_class=None,
    )
    def timeline(self, request: Request, pk=None) -> Response:
        action = self.get_object()
        rows = ActionEvent.objects.filter(action=action).select_related("actor")
        return Response(ActionEventSerializer(rows, many=True).data)
