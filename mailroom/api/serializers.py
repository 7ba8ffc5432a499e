"""The mailbox API's bodies: a mailbox (never its password), the answer to
a pushed message, and the decisions about a message set aside."""

from __future__ import annotations

from rest_framework import serializers

from enquiries.models import Queue
from mailroom.models import InboundMessage, Mailbox
from nemid_cases import api


class MailboxSerializer(api.ModelSerializer):
    queue = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_polled = serializers.BooleanField(read_only=True)

    class Meta:
        model = Mailbox
        fields = [
            "id",
            "address",
            "queue",
            "is_active",
            "is_polled",
            "imap_host",
            "imap_port",
            "imap_user",
            "imap_folder",
            "last_polled_at",
            "last_error",
            "last_error_at",
        ]
        read_only_fields = fields


class InboundMessageSerializer(api.ModelSerializer):
    """What became of a message: filed (and on which enquiry), recognised as
    automatic, or quarantined with the reason."""

    enquiry = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = InboundMessage
        fields = [
            "id",
            "status",
            "reason",
            "enquiry",
            "is_new_enquiry",
            "message_id",
            "received_at",
            "size",
        ]
        read_only_fields = fields


class FileAsEnquirySerializer(api.Serializer):
    """The queue (by code) a message set aside is filed in, and a note."""

    queue = api.SafeSlugRelatedField(slug_field="code", queryset=Queue.objects.all())
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DiscardSerializer(api.Serializer):
    """Why a message set aside is discarded (for the log)."""

    reason = serializers.CharField(max_length=500)
