"""API representations of outage notices."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enquiries.linking import EnquirySelectionSerializer
from nemid_cases import api, moments
from notices.models import (
    DraftEvent,
    Incident,
    IncidentUpdate,
    PublicationDraft,
    Service,
    StandardText,
    WebhookDelivery,
    WebhookSubscription,
)
from notices.webhooks import check_url


class MomentField(moments.MomentField):
    """A date and time between 2000 and 2099: NemID's years, and a range in
    which every time zone offset is whole minutes (year 130 in Copenhagen
    was +00:50:20, which no client could parse)."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not 2000 <= moment.year <= 2099:
            raise serializers.ValidationError(_("Give a date between 2000 and 2099."))
        return moment


class ServicesField(serializers.ListField):
    """Service codes; every error is a message in a flat list (the 400 body
    the schema documents), never an error keyed by position."""

    child = api.ChoiceField(choices=Service.choices)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError(_("Give a list of service codes."))
        if not data and not self.allow_empty:
            raise serializers.ValidationError(_("Choose at least one affected service."))
        unknown = [str(code)[:40] for code in data if code not in Service.values]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(data))


class StandardTextSerializer(api.ModelSerializer):
    valid_from = MomentField(required=False)

    class Meta:
        model = StandardText
        fields = ["id", "code", "kind", "version", "text_da", "text_en", "valid_from", "created_at"]
        read_only_fields = ["id", "version", "created_at"]
        extra_kwargs = {"valid_from": {"required": False}}
        # Versions of a code share it: the unique pair is (code, version).
        validators = []


class StandardTextRefSerializer(api.ModelSerializer):
    class Meta:
        model = StandardText
        fields = ["code", "version"]
        read_only_fields = fields


class IncidentUpdateSerializer(api.ModelSerializer):
    standard_text = StandardTextRefSerializer(read_only=True)
    text_da = serializers.CharField(source="standard_text.text_da", read_only=True)
    text_en = serializers.CharField(source="standard_text.text_en", read_only=True)

    class Meta:
        model = IncidentUpdate
        fields = ["id", "kind", "posted_at", "standard_text", "text_da", "text_en"]
        read_only_fields = fields


class IncidentSerializer(api.ModelSerializer):
    services = serializers.ListField(child=api.ChoiceField(choices=Service.choices), read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "status",
            "title_da",
            "title_en",
            "services",
            "severity",
            "started_at",
            "expected_end_at",
            "ended_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_status(self, incident: Incident) -> str:
        return "ongoing" if incident.is_ongoing else "resolved"


class PublishIncidentSerializer(api.Serializer):
    title_da = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    services = ServicesField(
        allow_empty=False,
        help_text=_("Codes of the affected services, e.g. login, signing."),
    )
    severity = api.ChoiceField(choices=Incident.Severity.choices)
    started_at = MomentField()
    expected_end_at = MomentField(required=False, allow_null=True)
    text_code = serializers.SlugField(
        max_length=80, help_text=_("The standard text; the version in force now is used.")
    )


class PostUpdateSerializer(api.Serializer):
    text_code = serializers.SlugField(max_length=80)
    expected_end_at = MomentField(required=False, allow_null=True)
    severity = api.ChoiceField(choices=Incident.Severity.choices, required=False)


class ResolveIncidentSerializer(api.Serializer):
    text_code = serializers.SlugField(max_length=80)
    ended_at = MomentField(required=False, allow_null=True)


class WebhookSubscriptionSerializer(api.ModelSerializer):
    services = ServicesField(
        required=False,
        help_text=_("Codes of the services it cares about; empty: all."),
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "services", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_url(self, url: str) -> str:
        try:
            check_url(url)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["url"]) from error
        return url


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    """The answer to a new subscription: the only time the secret is shown."""

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookSubscriptionSerializer.Meta.read_only_fields, "secret"]


class WebhookDeliverySerializer(api.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event_type",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


class DraftEventSerializer(api.ModelSerializer):
    # The timeline base's names; the API keeps the names it has always had.
    at = moments.MomentField(source="created_at", read_only=True, label=capfirst(_("at")))
    by = serializers.CharField(
        source="actor.username", read_only=True, allow_null=True, default=None
    )
    note = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = DraftEvent
        fields = ["kind", "at", "by", "note"]
        read_only_fields = fields


class PublicationDraftSerializer(api.ModelSerializer):
    """A draft awaiting approval: what it would publish, and its timeline."""

    created_by = serializers.CharField(source="created_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )
    payload = serializers.DictField(
        read_only=True,
        help_text=_("What is published on approval: the publishing request's fields."),
    )
    standard_text = StandardTextRefSerializer(read_only=True, allow_null=True)
    events = DraftEventSerializer(many=True, read_only=True)

    class Meta:
        model = PublicationDraft
        fields = [
            "id",
            "kind",
            "status",
            "incident",
            "standard_text",
            "payload",
            "created_by",
            "created_at",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "events",
        ]
        read_only_fields = fields


class RejectDraftSerializer(api.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why the draft is rejected; the author is sent it.")
    )


class IncidentLinkSerializer(EnquirySelectionSerializer):
    """The enquiries to link or unlink: ids, the list's filters, or (to
    link) every enquiry suggested on the incident's page."""

    SOURCES = ("enquiries", "filter", "suggested")

    suggested = serializers.BooleanField(
        required=False,
        help_text=_(
            "true: every enquiry you may see received during the incident in a topic "
            "or category of its services, as suggested on its page."
        ),
    )

    def either_message(self) -> str:
        return str(_("Give one of enquiry ids, a filter or suggested: true."))


class LinkCountSerializer(api.Serializer):
    count = serializers.IntegerField()
