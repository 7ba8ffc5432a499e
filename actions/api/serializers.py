"""API shapes for actions; writes go through actions.services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from actions.due import parse_due
from actions.forms import visible_categories, visible_topics
from actions.models import Action, ActionEvent, ActionUpdate, Kpi, KpiReading, Theme
from enquiries.models import Category, Topic
from nemid_cases.api import ChoiceField, IdField, ModelSerializer, Serializer
from nemid_cases.moments import DayField
from stakeholders.models import Contact, Meeting, Organisation, Recommendation


class ThemeSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Theme
        fields = ["id", "code", "name", "name_da", "name_en", "position", "is_active"]


class KpiReadingSerializer(ModelSerializer):
    class Meta:
        model = KpiReading
        fields = ["id", "measured_on", "value", "note", "recorded_by"]
        read_only_fields = ["id", "recorded_by"]


class KpiSerializer(ModelSerializer):
    readings = KpiReadingSerializer(many=True, read_only=True)

    class Meta:
        model = Kpi
        fields = ["id", "metric", "unit", "baseline", "target", "position", "readings"]
        read_only_fields = ["id", "position", "readings"]


class ActionUpdateSerializer(ModelSerializer):
    author = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ActionUpdate
        fields = ["id", "written_on", "text", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ActionEventSerializer(ModelSerializer):
    # Empty for what the system did (an escalation, a deadline).
    actor = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ActionEvent
        fields = ["id", "kind", "actor", "created_at", "old_value", "new_value", "text"]


class ActionSerializer(ModelSerializer):
    """An action as read: due range, origins as ids, updates and KPIs nested."""

    theme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_overdue = serializers.SerializerMethodField()
    is_due_asap = serializers.BooleanField(read_only=True)
    follow_ups = IdField(many=True, read_only=True)
    updates = ActionUpdateSerializer(many=True, read_only=True)
    kpis = KpiSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "code",
            "title",
            "description",
            "theme",
            "owner",
            "responsible",
            "status",
            "due_phrase",
            "due_start",
            "due_end",
            "due_precision",
            "is_due_asap",
            "is_overdue",
            "completed_on",
            "follows_up",
            "follow_ups",
            "origin_recommendations",
            "origin_meetings",
            "origin_topics",
            "origin_categories",
            "updates",
            "kpis",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, action: Action) -> bool:
        return action.is_overdue(self.context.get("today"))


class DuePhraseField(serializers.CharField):
    """A due phrase; one the parser cannot read is a 400 listing the forms."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault(
            "help_text", "As the report writes it: “medio januar 2011”, “uge 47 2010”, “Q1 2011”…"
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        try:
            parse_due(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value


class ScopedMixin:
    """Limit related choices to what the requesting user may see."""

    def scope(self) -> None:
        request = self.context.get("request")
        if request is None:  # building the schema
            return
        user = request.user
        fields = self.fields
        scoped = {
            "owner": Organisation.objects.visible_to(user),
            "responsible": Contact.objects.visible_to(user),
            "origin_recommendations": Recommendation.objects.visible_to(user),
            "origin_meetings": Meeting.objects.visible_to(user),
            "origin_topics": visible_topics(user),
            "origin_categories": visible_categories(user),
            "follows_up": Action.objects.visible_to(user),
            "follow_up": Action.objects.visible_to(user),
        }
        for name, queryset in scoped.items():
            if name not in fields:
                continue
            field = fields[name]
            target = field.child_relation if hasattr(field, "child_relation") else field
            target.queryset = queryset


class ActionWriteSerializer(ScopedMixin, Serializer):
    """What a client may send to create (POST) or change (PATCH) an action."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )
    theme = serializers.SlugRelatedField(slug_field="code", queryset=Theme.objects.all())
    owner = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.none())
    responsible = IdField(
        queryset=Contact.objects.none(), required=False, allow_null=True, default=None
    )
    status = ChoiceField(
        choices=Action.Status.choices,
        default=Action.Status.PROPOSED,
        help_text=gettext_lazy(
            "Only when creating: proposed, planned, in_progress or done. "
            "Change it later through the status route."
        ),
    )
    due_phrase = DuePhraseField(default="")
    origin_recommendations = IdField(
        many=True, queryset=Recommendation.objects.none(), required=False, default=list
    )
    origin_meetings = IdField(
        many=True, queryset=Meeting.objects.none(), required=False, default=list
    )
    origin_topics = IdField(many=True, queryset=Topic.objects.none(), required=False, default=list)
    origin_categories = IdField(
        many=True, queryset=Category.objects.none(), required=False, default=list
    )
    follows_up = IdField(
        queryset=Action.objects.none(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope()

    def validate(self, attrs: dict) -> dict:
        if self.partial and "status" in attrs:
            raise serializers.ValidationError(
                {"status": [_("Change the status through the action's status route.")]}
            )
        return attrs


class NewFollowUpSerializer(ScopedMixin, Serializer):
    title = serializers.CharField(max_length=200)
    due_phrase = DuePhraseField(default="")
    description = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )
    owner = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Empty: the owner of the insufficient action."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope()


class StatusChangeSerializer(ScopedMixin, Serializer):
    """A status change; found insufficient needs `follow_up` or `new_follow_up`."""

    status = ChoiceField(choices=Action.Status.choices)
    note = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    completed_on = DayField(required=False, allow_null=True, default=None)
    follow_up = IdField(
        queryset=Action.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("An existing action that follows up on this one."),
    )
    new_follow_up = NewFollowUpSerializer(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope()


class ProgressUpdateWriteSerializer(Serializer):
    text = serializers.CharField(max_length=20000)
    written_on = DayField(required=False, allow_null=True, default=None)


class KpiWriteSerializer(Serializer):
    metric = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )


class KpiReadingWriteSerializer(Serializer):
    measured_on = DayField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
