from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from answers.models import AnswerTemplate, AnswerTemplateVersion, DeliveryAttempt, Reply
from nemid_cases import api, moments


class AnswerTemplateVersionSerializer(api.ModelSerializer):
    key = serializers.CharField(source="template.key", read_only=True)
    valid_from = moments.MomentField(
        required=False, help_text=_("When the version takes effect; empty: now.")
    )

    class Meta:
        model = AnswerTemplateVersion
        fields = [
            "id",
            "key",
            "version",
            "valid_from",
            "subject_da",
            "body_da",
            "subject_en",
            "body_en",
            "created_at",
        ]
        read_only_fields = ["id", "key", "version", "created_at"]


class AnswerTemplateSerializer(api.ModelSerializer):
    in_force = serializers.SerializerMethodField(
        help_text=_("The version in force now (or on `?on=`), if any.")
    )

    class Meta:
        model = AnswerTemplate
        fields = ["id", "key", "created_at", "in_force"]
        read_only_fields = fields

    @extend_schema_field(AnswerTemplateVersionSerializer(allow_null=True))
    def get_in_force(self, template) -> dict | None:
        version = self.context.get("in_force", {}).get(template.pk)
        return AnswerTemplateVersionSerializer(version).data if version else None


class NewAnswerTemplateSerializer(api.Serializer):
    key = serializers.SlugField(max_length=80)
    valid_from = moments.MomentField(required=False)
    subject_da = serializers.CharField(max_length=200)
    body_da = serializers.CharField(max_length=20000)
    subject_en = serializers.CharField(max_length=200)
    body_en = serializers.CharField(max_length=20000)


class DeliveryAttemptSerializer(api.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["attempted_at", "is_delivered", "detail"]
        read_only_fields = fields


class ReplySerializer(api.ModelSerializer):
    template_key = serializers.CharField(
        source="template_version.template.key", read_only=True, allow_null=True, default=None
    )
    template_version_number = serializers.IntegerField(
        source="template_version.version", read_only=True, allow_null=True, default=None
    )
    message_id = serializers.CharField(
        source="mail.message_id", read_only=True, allow_null=True, default=None
    )
    mail_status = serializers.CharField(
        source="mail.status", read_only=True, allow_null=True, default=None
    )
    deliveries = serializers.SerializerMethodField(
        help_text=_("The e-mail's delivery log: every try at handing it to the mail server.")
    )

    class Meta:
        model = Reply
        fields = [
            "id",
            "channel",
            "language",
            "template_version",
            "template_key",
            "template_version_number",
            "recipient_name",
            "recipient_email",
            "subject",
            "body",
            "created_at",
            "message_id",
            "mail_status",
            "deliveries",
        ]
        read_only_fields = fields

    @extend_schema_field(DeliveryAttemptSerializer(many=True))
    def get_deliveries(self, reply) -> list:
        mail = getattr(reply, "mail", None)
        if mail is None:
            return []
        return DeliveryAttemptSerializer(mail.deliveries.all(), many=True).data


class SendReplySerializer(api.Serializer):
    channel = api.ChoiceField(choices=Reply.Channel.choices)
    language = api.ChoiceField(choices=Reply.Language.choices)
    template_version = api.IdField(
        queryset=AnswerTemplateVersion.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The template version used; empty subject or body come from it."),
    )
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True)
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    wait_for_citizen = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Move the enquiry to “waiting for citizen” in the same step."),
    )
