"""Serializers of the enquiry API: parsing and validating input, and output.

Output carries labels a client can show (status, channel, category and topic
names, in the request's language). Input names a queue by its code, an
assignee by username and everything else by id. State changes go through
enquiries.services, never through serializer.save().
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from enquiries import cpr
from enquiries.models import (
    Category,
    Channel,
    Citizen,
    Enquiry,
    EnquiryEvent,
    Queue,
    Topic,
)
from enquiries.people import person_label
from enquiries.services import allowed_transitions
from nemid_cases.api import ChoiceField, IdField, ModelSerializer, SafeSlugRelatedField, Serializer
from nemid_cases.moments import MomentField, check_received_at

Status = Enquiry.Status
# Clocks of telephony systems drift; a little "future" is not an error.


@extend_schema_field(
    {"type": "string", "anyOf": [{"format": "email"}, {"maxLength": 0}]},
)
class OptionalEmailField(serializers.CharField):
    """An e-mail address, or empty.

    Not an EmailField: its validator would make the schema say every value,
    the empty one included, is an address.
    """

    default_error_messages = {"invalid": _("Enter a valid email address.")}

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                self.fail("invalid")
        return value


class CalledField(serializers.CharField):
    """Read-only text from a method without arguments, e.g. get_status_display.

    DRF's own lookup inspects the method's signature for every row and
    field: a measurable part of serialising a list page.
    """

    def __init__(self, source: str, **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.source)()


def _may_see_citizens(context: dict) -> bool:
    """Whether the requesting user may see citizens; the schema shows them."""
    view = context.get("view")
    if getattr(view, "swagger_fake_view", False):
        return True
    request = context.get("request")
    return bool(request and request.user.has_perm("enquiries.view_citizen"))


class QueueSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("In the request's language."))

    class Meta:
        model = Queue
        fields = ["id", "code", "name", "name_da", "name_en", "reference_prefix", "default_channel"]
        read_only_fields = fields


class TopicSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("In the request's language."))
    queue = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "code", "name", "name_da", "name_en", "queue", "position", "is_active"]
        read_only_fields = fields


class CategorySerializer(ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("In the request's language."))
    label = serializers.CharField(read_only=True, help_text=_("Topic › category."))
    full_label = serializers.SerializerMethodField(help_text=_("Queue: topic › category."))
    topic_name = serializers.CharField(source="topic.name", read_only=True)
    queue = serializers.SlugRelatedField(source="topic.queue", slug_field="code", read_only=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "name_da",
            "name_en",
            "label",
            "full_label",
            "topic",
            "topic_name",
            "queue",
            "position",
            "is_active",
        ]
        read_only_fields = fields

    def get_full_label(self, category: Category) -> str:
        return f"{category.topic.queue.name}: {category.label}"


class PersonSerializer(ModelSerializer):
    """A member of staff as the people picker shows them."""

    name = serializers.CharField(source="get_full_name", read_only=True)
    team = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    label = serializers.SerializerMethodField(
        help_text=_("Name, username and team: unambiguous between namesakes.")
    )

    class Meta:
        model = User
        fields = ["id", "username", "name", "team", "label"]
        read_only_fields = fields

    def get_label(self, user: User) -> str:
        return person_label(user)


class TopicSummarySerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "code", "name"]
        read_only_fields = fields


class UserSummarySerializer(ModelSerializer):
    name = CalledField("__str__")

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


class CitizenSummarySerializer(ModelSerializer):
    cpr_masked = serializers.CharField(read_only=True, help_text=_("DDMMYY-xxxx, or empty."))
    email = OptionalEmailField(read_only=True)

    class Meta:
        model = Citizen
        fields = ["id", "name", "cpr_masked", "phone", "email"]
        read_only_fields = fields


class EnquirySerializer(ModelSerializer):
    """An enquiry as a client shows it."""

    queue = serializers.SlugRelatedField(slug_field="code", read_only=True)
    queue_name = serializers.CharField(source="queue.name", read_only=True)
    channel_display = CalledField("get_channel_display")
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    topic_name = serializers.CharField(source="topic.name", read_only=True, allow_null=True)
    additional_topics = TopicSummarySerializer(many=True, read_only=True)
    priority_display = CalledField("get_priority_display")
    status_display = CalledField("get_status_display")
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The statuses POST …/transition/ accepts now.")
    )
    assignee = UserSummarySerializer(read_only=True, allow_null=True)
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    language_display = CalledField("get_language_display")
    is_overdue = serializers.BooleanField(read_only=True)
    # Not read-only only so that the schema does not mark it required: it is
    # left out for roles that may not see citizens.
    citizen = CitizenSummarySerializer(
        required=False,
        allow_null=True,
        help_text=_("Present only for roles that may see citizens."),
    )

    class Meta:
        model = Enquiry
        fields = [
            "id",
            "reference",
            "queue",
            "queue_name",
            "channel",
            "channel_display",
            "received_at",
            "subject",
            "description",
            "category",
            "category_name",
            "topic",
            "topic_name",
            "additional_topics",
            "priority",
            "priority_display",
            "status",
            "status_display",
            "allowed_transitions",
            "assignee",
            "team_name",
            "citizen",
            "language",
            "language_display",
            "resolution",
            "first_response_due_at",
            "resolution_due_at",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "is_overdue",
            "escalation_level",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [name for name in fields if name != "citizen"]

    def get_fields(self):
        fields = super().get_fields()
        if not _may_see_citizens(self.context):
            del fields["citizen"]
        return fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Status.choices)))
    def get_allowed_transitions(self, enquiry: Enquiry) -> list[str]:
        return list(allowed_transitions(enquiry))


class EnquiryWriteSerializer(Serializer):
    """What a client may set on an enquiry (all optional on PATCH).

    Status and resolution change only through POST …/transition/.
    """

    queue = SafeSlugRelatedField(
        slug_field="code",
        queryset=Queue.objects.none(),
        max_length=30,
        help_text=_("The queue's code, e.g. support."),
    )
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    channel = ChoiceField(
        Channel.choices, required=False, help_text=_("Defaults to the queue's channel.")
    )
    received_at = MomentField(
        required=False,
        check=check_received_at,
        help_text=_("Defaults to now; from 2010 up to now."),
    )
    citizen = IdField(queryset=Citizen.objects.none(), required=False, allow_null=True)
    category = IdField(
        queryset=Category.objects.select_related("topic"), required=False, allow_null=True
    )
    additional_topics = IdField(
        queryset=Topic.objects.all(),
        many=True,
        required=False,
        help_text=_("Further topics the enquiry raises, by id."),
    )
    priority = ChoiceField(Enquiry.Priority.choices, required=False)
    language = ChoiceField(Enquiry.Language.choices, required=False)
    assignee = SafeSlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        max_length=150,
        required=False,
        allow_null=True,
        help_text=_("The username of the member of staff."),
    )

    # Keys a client might expect to PATCH, with where to go instead.
    ELSEWHERE = {
        "status": _("Change the status with POST …/transition/."),
        "resolution": _("Set the resolution with POST …/transition/."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["queue"].queryset = Queue.objects.visible_to(request.user)
            self.fields["citizen"].queryset = Citizen.objects.visible_to(request.user)

    def validate(self, attrs: dict) -> dict:
        if isinstance(self.initial_data, dict):
            misplaced = {k: [v] for k, v in self.ELSEWHERE.items() if k in self.initial_data}
            if misplaced:
                raise serializers.ValidationError(misplaced)
        return attrs


class EnquiryCreateSerializer(EnquiryWriteSerializer):
    """A new enquiry; with a resolution it is logged resolved at once."""

    resolution = serializers.CharField(
        max_length=20000,
        required=False,
        help_text=_(
            "Resolved during the call: the enquiry is logged as resolved, with this "
            "resolution (as the log page's check box does)."
        ),
    )

    ELSEWHERE = {"status": EnquiryWriteSerializer.ELSEWHERE["status"]}


class TransitionSerializer(Serializer):
    status = ChoiceField(Status.choices, help_text=_("The new status."))
    note = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    resolution = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        help_text=_("Required (here or earlier) to resolve."),
    )


class ReopenSerializer(Serializer):
    note = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class NoteSerializer(Serializer):
    text = serializers.CharField(max_length=20000)


class EnquiryEventSerializer(ModelSerializer):
    """One line of the timeline; citizen names only for those who may see them."""

    kind_display = CalledField("get_kind_display")
    actor = UserSummarySerializer(read_only=True, allow_null=True)
    old_display = serializers.CharField(read_only=True)
    new_display = serializers.CharField(read_only=True)

    class Meta:
        model = EnquiryEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "actor",
            "created_at",
            "old_value",
            "new_value",
            "old_display",
            "new_display",
            "text",
            "batch",
        ]
        read_only_fields = fields

    def to_representation(self, event: EnquiryEvent) -> dict:
        data = super().to_representation(event)
        if event.kind == EnquiryEvent.Kind.CITIZEN and not _may_see_citizens(self.context):
            data.update(old_value="", new_value="", old_display="", new_display="")
        return data


# The format check again, so that the schema documents the pattern.
CPR_FORMAT = RegexValidator(
    cpr.CPR_PATTERN, _("Enter a CPR number as ten digits, DDMMYY-XXXX."), code="format"
)


def _validated_cpr(value: str) -> str:
    """The ten digits of a CPR number, or a 400 on the field."""
    try:
        return cpr.normalize_cpr(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None


class CitizenSerializer(ModelSerializer):
    """A citizen; the CPR number goes in, only its masked form comes out."""

    cpr = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        validators=[CPR_FORMAT],
        help_text=_("DDMMYY-XXXX or ten digits; empty clears it. Never returned."),
    )
    email = OptionalEmailField(required=False, allow_blank=True, max_length=254)
    cpr_masked = serializers.CharField(read_only=True, help_text=_("DDMMYY-xxxx, or empty."))
    needs = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("Labels of the needs.")
    )
    enquiries_url = serializers.SerializerMethodField(
        help_text=_("The citizen's enquiries in the enquiry list.")
    )

    class Meta:
        model = Citizen
        fields = [
            "id",
            "name",
            "cpr",
            "cpr_masked",
            "email",
            "phone",
            "address",
            "needs_large_print",
            "needs_blind_solution",
            "needs_sign_language",
            "needs",
            "enquiries_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "cpr_masked", "needs", "created_at", "updated_at"]
        extra_kwargs = {"address": {"max_length": 2000}}

    def get_enquiries_url(self, citizen: Citizen) -> str:
        return f"{reverse('api:enquiry-list')}?citizen={citizen.pk}"

    def validate_cpr(self, value: str) -> str:
        if not value:
            return ""
        digits = _validated_cpr(value)
        others = Citizen.objects.with_cpr(digits)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(_("A citizen with this CPR number is registered."))
        return digits

    def _save(self, citizen: Citizen, validated_data: dict) -> Citizen:
        has_cpr = "cpr" in validated_data
        value = validated_data.pop("cpr", "")
        for name, field_value in validated_data.items():
            setattr(citizen, name, field_value)
        if has_cpr:
            citizen.set_cpr(value)
        try:
            with transaction.atomic():
                citizen.save()
        except IntegrityError:
            # Two clients registered the same CPR number at the same moment.
            raise serializers.ValidationError(
                {"cpr": [_("A citizen with this CPR number is registered.")]}
            ) from None
        return citizen

    def create(self, validated_data: dict) -> Citizen:
        return self._save(Citizen(), validated_data)

    def update(self, instance: Citizen, validated_data: dict) -> Citizen:
        return self._save(instance, validated_data)


class CprSerializer(Serializer):
    cpr = serializers.CharField(
        max_length=20, validators=[CPR_FORMAT], help_text=_("DDMMYY-XXXX or ten digits.")
    )

    def validate_cpr(self, value: str) -> str:
        return _validated_cpr(value)


class RevealReasonSerializer(Serializer):
    reason = serializers.CharField(
        max_length=200, help_text=_("Why you need the full number; it is logged.")
    )


class RevealedCprSerializer(Serializer):
    cpr = serializers.CharField(help_text=_("The full CPR number, DDMMYY-XXXX."))
