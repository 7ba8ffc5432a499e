"""API representations of the stakeholder models.

Writes of meetings, recommendations and follow-ups go through the services
(see views.py); these serializers only parse and validate the input.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from actions.models import Action
from enquiries.models import Topic
from nemid_cases.api import ChoiceField, IdField, ModelSerializer, Serializer
from nemid_cases.moments import DayField
from stakeholders.forms import make_code
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    MeetingAttachment,
    Organisation,
    Recommendation,
    RecommendationEvent,
    WorkingGroup,
)


class CodeFromNameMixin:
    """An empty code is made from the name; a code in use is a 400 naming it.

    The serializers declare `code` themselves (to allow it blank), which
    drops the UniqueValidator a ModelSerializer would add: a clash then
    reached the database as an IntegrityError (issue 8).
    """

    def validate_code(self, value: str) -> str:
        model = self.Meta.model
        clash = model.objects.filter(code=value).exclude(
            pk=self.instance.pk if self.instance else None
        )
        if value and clash.exists():
            field = model._meta.get_field("code")
            raise serializers.ValidationError(
                field.error_messages["unique"]
                % {"model_name": model._meta.verbose_name, "field_label": field.verbose_name},
                code="unique",
            )
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs.get("code") and not (self.instance and self.instance.code):
            attrs["code"] = make_code(attrs.get("name", ""), self.Meta.model)
        return attrs


class OrganisationSerializer(CodeFromNameMixin, ModelSerializer):
    code = serializers.SlugField(max_length=60, required=False, allow_blank=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "website",
            "is_taskforce_member",
            "notes",
        ]


class ContactSerializer(ModelSerializer):
    user = IdField(queryset=User.objects.filter(is_active=True), required=False, allow_null=True)

    class Meta:
        model = Contact
        fields = ["id", "organisation", "name", "title", "email", "phone", "user", "is_active"]


class WorkingGroupSerializer(CodeFromNameMixin, ModelSerializer):
    code = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    meetings = IdField(many=True, read_only=True)

    class Meta:
        model = WorkingGroup
        fields = ["id", "code", "name", "purpose", "members", "established_on", "meetings"]
        extra_kwargs = {"members": {"allow_empty": False}}


class AttachmentSerializer(ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = MeetingAttachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: MeetingAttachment) -> str:
        return reverse("stakeholders:attachment-download", args=[obj.pk])


class AttachmentUploadSerializer(Serializer):
    file = serializers.FileField(max_length=500)


class MeetingSerializer(ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)
    recommendations = IdField(many=True, read_only=True)
    organisations = IdField(many=True, queryset=Organisation.objects.all(), allow_empty=False)
    attendees = IdField(many=True, queryset=Contact.objects.all(), required=False)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "code",
            "title",
            "held_on",
            "working_group",
            "organisations",
            "attendees",
            "agenda",
            "minutes",
            "outcome",
            "attachments",
            "recommendations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["code", "created_at", "updated_at"]


class RecommendationEventSerializer(ModelSerializer):
    # Empty for what the system did (an escalation, a deadline).
    actor = serializers.StringRelatedField(allow_null=True)
    # Empty when the event is not a change of status (a response, a note).
    old_status = ChoiceField(Recommendation.Status.choices, allow_blank=True, read_only=True)
    new_status = ChoiceField(Recommendation.Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = RecommendationEvent
        fields = ["kind", "actor", "created_at", "old_status", "new_status", "text"]
        read_only_fields = fields


class ActionSummarySerializer(ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Action
        fields = ["id", "title", "status", "due_phrase", "due_end", "is_open"]
        read_only_fields = fields


class RecommendationSerializer(ModelSerializer):
    topics = IdField(many=True, queryset=Topic.objects.all(), required=False)
    action_count = serializers.IntegerField(read_only=True)
    open_action_count = serializers.IntegerField(read_only=True)
    all_actions_done = serializers.SerializerMethodField()
    actions = ActionSummarySerializer(many=True, read_only=True)
    events = RecommendationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "code",
            "organisation",
            "meeting",
            "received_on",
            "text",
            "topics",
            "status",
            "response",
            "rationale",
            "action_count",
            "open_action_count",
            "all_actions_done",
            "actions",
            "events",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["code", "created_at", "updated_at"]

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_all_actions_done(self, obj: Recommendation) -> bool | None:
        return obj.all_actions_done


class RecommendationUpdateSerializer(RecommendationSerializer):
    """Editing details; the response changes only through /respond/, which
    keeps the status history."""

    class Meta(RecommendationSerializer.Meta):
        read_only_fields = [
            *RecommendationSerializer.Meta.read_only_fields,
            "status",
            "response",
            "rationale",
        ]


class RespondSerializer(Serializer):
    status = ChoiceField(choices=Recommendation.Status.choices)
    response = serializers.CharField(max_length=20000, allow_blank=True, default="")
    rationale = serializers.CharField(max_length=20000, allow_blank=True, default="")


class FollowUpSerializer(ModelSerializer):
    waiting_user = IdField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    is_open = serializers.BooleanField(read_only=True)
    days_waiting = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "code",
            "subject",
            "waiting_organisation",
            "waiting_user",
            "awaited_organisation",
            "awaited_contact",
            "since_on",
            "expected_on",
            "resolved_on",
            "resolved_by",
            "meeting",
            "recommendation",
            "notes",
            "is_open",
            "days_waiting",
            "is_overdue",
            "created_at",
        ]
        read_only_fields = ["code", "resolved_on", "resolved_by", "created_at"]

    def get_days_waiting(self, obj: FollowUp) -> int:
        return obj.days_waiting()

    def get_is_overdue(self, obj: FollowUp) -> bool:
        return obj.is_overdue()


class ResolveSerializer(Serializer):
    resolved_on = DayField()
    note = serializers.CharField(max_length=5000, allow_blank=True, default="")
