"""Serializers of the data-request API; the export's ones document its JSON."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enquiries.api.serializers import CprSerializer
from enquiries.models import Citizen
from nemid_cases.api import IdField, ModelSerializer, Serializer
from privacy.models import DataRequest

__all__ = ["CprSerializer"]


class RequestCitizenSerializer(ModelSerializer):
    """A citizen as the data-request pages show them: no contact data."""

    class Meta:
        model = Citizen
        fields = ["id", "name", "cpr_masked", "created_at", "anonymised_at"]
        read_only_fields = fields


class ReasonSerializer(Serializer):
    reason = serializers.CharField(
        max_length=500, help_text=_("How and when the citizen asked; it is logged.")
    )


class DataRequestSerializer(ModelSerializer):
    citizen = IdField(read_only=True, allow_null=True, help_text=_("The citizen's id."))
    handled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    format = serializers.CharField(
        read_only=True, help_text=_("json or html for an access export; empty for an erasure.")
    )

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "kind",
            "citizen",
            "reason",
            "format",
            "enquiry_count",
            "handled_by",
            "handled_at",
        ]
        read_only_fields = fields


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(allow_null=True, **kwargs)


class ExportEventSerializer(Serializer):
    at = serializers.CharField(help_text=_("ISO 8601, Copenhagen time."))
    kind = serializers.CharField()
    by = _text()
    to = _text()
    text = _text()

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so it is added by name.
        fields["from"] = _text()
        return fields


class ExportRatingSerializer(Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    # A field named like Field's own `source` attribute, which the stubs type.
    source = serializers.CharField()  # type: ignore[assignment]
    comment = _text()
    recorded_at = serializers.CharField()


class ExportEnquirySerializer(Serializer):
    reference = serializers.CharField()
    queue = serializers.CharField()
    channel = serializers.CharField()
    received_at = serializers.CharField()
    subject = serializers.CharField()
    description = _text()
    category = _text()
    further_topics = serializers.ListField(child=serializers.CharField())
    priority = serializers.CharField()
    status = serializers.CharField()
    language = serializers.CharField()
    resolution = _text()
    first_responded_at = _text()
    resolved_at = _text()
    closed_at = _text()
    assignee = _text()
    team = _text()
    anonymised_at = _text()
    timeline = ExportEventSerializer(many=True)
    rating = ExportRatingSerializer(allow_null=True)


class ExportCitizenSerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    cpr = _text(help_text=_("The full CPR number, DDMMYY-XXXX."))
    email = _text()
    phone = _text()
    address = _text()
    needs = serializers.ListField(child=serializers.CharField())
    created_at = serializers.CharField()
    updated_at = serializers.CharField()
    anonymised_at = _text()


class ExportNotificationSerializer(Serializer):
    created_at = serializers.CharField()
    sent_at = _text()
    recipient = _text()
    subject = serializers.CharField()
    body = serializers.CharField()


class ExportRevealSerializer(Serializer):
    at = serializers.CharField()
    by = _text()
    reason = serializers.CharField()
    kind = _text(help_text=_("A reveal or a cross-team look-up, where recorded."))


class ExportRequestSerializer(Serializer):
    kind = serializers.CharField()
    at = serializers.CharField()
    by = _text()
    reason = serializers.CharField()


class AccessExportSerializer(Serializer):
    """Everything held about one citizen (privacy.access.collect)."""

    format = serializers.CharField()
    generated_at = serializers.CharField()
    generated_by = _text()
    reason = serializers.CharField()
    citizen = ExportCitizenSerializer()
    enquiries = ExportEnquirySerializer(many=True)
    notifications = ExportNotificationSerializer(many=True)
    cpr_reveals = ExportRevealSerializer(many=True)
    data_requests = ExportRequestSerializer(many=True)
