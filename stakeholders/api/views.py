"""The stakeholder API: the same services, permissions and filters as the pages.

Every queryset starts from `visible_to(user)`; each request needs the model
permission of its verb (view, add, change; nemid_cases.api.RolePermissions),
so support staff may only read the recommendations on their queues' topics.
Nothing is deleted through the API: a follow-up or recommendation is
resolved or answered, never lost.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from actions.models import Action
from nemid_cases.api import ApiViewMixin, VersionedApiMixin, error_responses
from nemid_cases.conditional import ConditionalListMixin
from stakeholders import services
from stakeholders.api import serializers as s
from stakeholders.filtersets import (
    ContactFilterSet,
    FollowUpFilterSet,
    MeetingFilterSet,
    OrganisationFilterSet,
    RecommendationFilterSet,
    WorkingGroupFilterSet,
)
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)


def _documented(serializer, *, tag: str, name: str, update_serializer=None):
    """Schema for list, retrieve, create and partial update with their errors."""
    update_serializer = update_serializer or serializer
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            summary=f"List {name}s (filters as on the page)",
            responses={200: serializer(many=True), **error_responses(400, 401, 403, 404)},
        ),
        retrieve=extend_schema(
            tags=[tag],
            summary=f"One {name}",
            responses={200: serializer, **error_responses(401, 403, 404)},
        ),
        create=extend_schema(
            tags=[tag],
            summary=f"Create a {name}",
            request=serializer,
            responses={201: serializer, **error_responses(400, 401, 403)},
        ),
        partial_update=extend_schema(
            tags=[tag],
            summary=f"Change some fields of a {name}",
            request=update_serializer,
            responses={200: update_serializer, **error_responses(400, 401, 403, 404)},
        ),
    )


class StakeholderViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change; the permission follows the verb."""

    model: type
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


@_documented(s.OrganisationSerializer, tag="stakeholders", name="organisation")
class OrganisationViewSet(StakeholderViewSet):
    model = Organisation
    serializer_class = s.OrganisationSerializer
    filterset_class = OrganisationFilterSet


@_documented(s.ContactSerializer, tag="stakeholders", name="contact")
class ContactViewSet(StakeholderViewSet):
    model = Contact
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilterSet


@_documented(s.WorkingGroupSerializer, tag="stakeholders", name="working group")
class WorkingGroupViewSet(StakeholderViewSet):
    model = WorkingGroup
    serializer_class = s.WorkingGroupSerializer
    filterset_class = WorkingGroupFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members", "meetings")


def _meeting_state(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "held_on": meeting.held_on,
        "working_group": meeting.working_group,
        "organisations": list(meeting.organisations.all()),
        "attendees": list(meeting.attendees.all()),
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "outcome": meeting.outcome,
    }


@_documented(s.MeetingSerializer, tag="meetings", name="meeting")
class MeetingViewSet(StakeholderViewSet):
    model = Meeting
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilterSet
    action_permissions = {"attachments": ["stakeholders.add_meetingattachment"]}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related("organisations", "attendees", "recommendations", "attachments")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        meeting = services.record_meeting(
            by=self.request.user,
            title=data["title"],
            held_on=data.get("held_on"),
            organisations=data["organisations"],
            attendees=data.get("attendees", []),
            working_group=data.get("working_group"),
            agenda=data.get("agenda", ""),
            minutes=data.get("minutes", ""),
            outcome=data.get("outcome", ""),
        )
        serializer.instance = self.get_queryset().get(pk=meeting.pk)

    def perform_update(self, serializer):
        meeting = serializer.instance
        state = {**_meeting_state(meeting), **serializer.validated_data}
        services.update_meeting(meeting, by=self.request.user, **state)
        serializer.instance = self.get_queryset().get(pk=meeting.pk)

    @extend_schema(
        tags=["meetings"],
        summary="Attach a file to a meeting",
        description="PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG, recognised by content; "
        "at most STAKEHOLDER_ATTACHMENT_MAX_BYTES (10 MB by default).",
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.AttachmentSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Request, pk=None) -> Response:
        meeting = self.get_object()
        upload = s.AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        attachment = services.add_attachment(
            meeting, upload=upload.validated_data["file"], by=request.user
        )
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


@_documented(
    s.RecommendationSerializer,
    tag="recommendations",
    name="recommendation",
    update_serializer=s.RecommendationUpdateSerializer,
)
class RecommendationViewSet(StakeholderViewSet):
    model = Recommendation
    filterset_class = RecommendationFilterSet
    action_permissions = {"respond": ["stakeholders.change_recommendation"]}

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.RecommendationUpdateSerializer
        return s.RecommendationSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .for_list()
            .prefetch_related(
                "topics",
                "events__actor",
                Prefetch("actions", Action.objects.order_by("id")),
            )
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        recommendation = services.record_recommendation(
            data.pop("organisation"), by=self.request.user, **data
        )
        serializer.instance = self.get_queryset().get(pk=recommendation.pk)

    def perform_update(self, serializer):
        rec = serializer.instance
        state = {
            "organisation": rec.organisation,
            "text": rec.text,
            "meeting": rec.meeting,
            "received_on": rec.received_on,
            "topics": list(rec.topics.all()),
            **serializer.validated_data,
        }
        services.update_recommendation(rec, by=self.request.user, **state)
        serializer.instance = self.get_queryset().get(pk=rec.pk)

    @extend_schema(
        tags=["recommendations"],
        summary="Respond to a recommendation (status, response, rationale)",
        description="A change of status is kept in `events` with who and when. "
        "Already addressed and declined need a rationale; any decided status a response.",
        request=s.RespondSerializer,
        responses={
            200: s.RecommendationSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk=None) -> Response:
        recommendation = self.get_object()
        answer = s.RespondSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        services.respond_to_recommendation(recommendation, by=request.user, **answer.validated_data)
        fresh = self.get_queryset().get(pk=recommendation.pk)
        return Response(s.RecommendationSerializer(fresh).data)


@_documented(s.FollowUpSerializer, tag="follow-ups", name="follow-up")
class FollowUpViewSet(StakeholderViewSet):
    model = FollowUp
    serializer_class = s.FollowUpSerializer
    filterset_class = FollowUpFilterSet
    action_permissions = {
        "resolve": ["stakeholders.change_followup"],
        "reopen": ["stakeholders.change_followup"],
    }

    def get_queryset(self):
        return super().get_queryset().for_list()

    def perform_create(self, serializer):
        follow_up = services.open_follow_up(by=self.request.user, **serializer.validated_data)
        serializer.instance = follow_up

    def perform_update(self, serializer):
        f = serializer.instance
        state = {
            "subject": f.subject,
            "waiting_organisation": f.waiting_organisation,
            "awaited_organisation": f.awaited_organisation,
            "since_on": f.since_on,
            "waiting_user": f.waiting_user,
            "awaited_contact": f.awaited_contact,
            "expected_on": f.expected_on,
            "meeting": f.meeting,
            "recommendation": f.recommendation,
            "notes": f.notes,
            **serializer.validated_data,
        }
        serializer.instance = services.update_follow_up(f, by=self.request.user, **state)

    @extend_schema(
        tags=["follow-ups"],
        summary="Mark what was awaited as received",
        request=s.ResolveSerializer,
        responses={200: s.FollowUpSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk=None) -> Response:
        follow_up = self.get_object()
        answer = s.ResolveSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        follow_up = services.resolve_follow_up(follow_up, by=request.user, **answer.validated_data)
        return Response(s.FollowUpSerializer(follow_up).data)

    @extend_schema(
        tags=["follow-ups"],
        summary="Wait again (undo a resolve)",
        request=None,
        # 400: a body, though none is needed, that is not JSON or holds a
        # CPR number (every write's body is checked, nemid_cases.api).
        responses={200: s.FollowUpSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk=None) -> Response:
        follow_up = services.reopen_follow_up(self.get_object(), by=request.user)
        return Response(s.FollowUpSerializer(follow_up).data)
