"""API representations of survey results and enquiry ratings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from feedback.models import EnquiryRating, SurveyResult
from nemid_cases.api import ModelSerializer, SafeSlugRelatedField, Serializer
from stakeholders.models import Organisation


class SurveyResultSerializer(ModelSerializer):
    conducted_by = SafeSlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        max_length=60,
        help_text=_("An organisation code, e.g. ab-analyse."),
    )
    commissioned_by = SafeSlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        max_length=60,
        help_text=_("An organisation code, e.g. danid."),
    )

    class Meta:
        model = SurveyResult
        fields = [
            "id",
            "code",
            "source",
            "conducted_by",
            "commissioned_by",
            "published_on",
            "is_date_estimated",
            "respondents",
            "base",
            "share_satisfied",
            "share_basis",
            "notes",
        ]
        read_only_fields = ["id", "code"]

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        instance = self.instance
        respondents = attrs.get("respondents", getattr(instance, "respondents", None))
        base = attrs.get("base", getattr(instance, "base", None))
        if base is not None and respondents is not None and base > respondents:
            raise serializers.ValidationError(
                {"base": [_("The share cannot be of more respondents than the survey had.")]}
            )
        return attrs


class EnquiryRatingSerializer(ModelSerializer):
    reference = serializers.CharField(source="enquiry.reference", read_only=True)
    queue = serializers.CharField(
        source="enquiry.queue.code", read_only=True, help_text=_("The enquiry's queue code.")
    )
    recorded_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("The agent; null for a citizen."),
    )

    class Meta:
        model = EnquiryRating
        fields = [
            "id",
            "enquiry",
            "reference",
            "queue",
            "score",
            "source",
            "comment",
            "recorded_at",
            "recorded_by",
        ]
        read_only_fields = fields


class ScoreCountSerializer(Serializer):
    score = serializers.IntegerField()
    count = serializers.IntegerField()


class RatingSummarySerializer(Serializer):
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True, help_text=_("Empty when nothing is rated."))
    satisfied = serializers.IntegerField(help_text=_("Ratings of 4 or 5."))
    satisfied_share = serializers.FloatField(
        allow_null=True, help_text=_("Ratings of 4 or 5, in percent of all, one decimal.")
    )
    by_agent = serializers.IntegerField()
    by_citizen = serializers.IntegerField()
    scores = ScoreCountSerializer(many=True)
