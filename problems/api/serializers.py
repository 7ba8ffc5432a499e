from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enquiries.linking import EnquirySelectionSerializer
from enquiries.models import Category, Topic
from nemid_cases import api
from problems.models import KnownProblem, KnownProblemResolution


class KnownProblemSerializer(api.ModelSerializer):
    topic = api.IdField(queryset=Topic.objects.all(), required=False, allow_null=True)
    category = api.IdField(queryset=Category.objects.all(), required=False, allow_null=True)
    enquiry_count = serializers.IntegerField(read_only=True)
    open_count = serializers.IntegerField(read_only=True)
    citizen_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = KnownProblem
        fields = [
            "id",
            "title",
            "description",
            "topic",
            "category",
            "workaround",
            "is_auto_link",
            "status",
            "resolution",
            "created_at",
            "resolved_at",
            "enquiry_count",
            "open_count",
            "citizen_count",
        ]
        read_only_fields = ["status", "resolution", "created_at", "resolved_at"]

    def validate(self, attrs):
        instance = self.instance
        topic = attrs.get("topic", instance.topic if instance else None)
        category = attrs.get("category", instance.category if instance else None)
        if category is not None and topic is not None and category.topic_id != topic.pk:
            raise serializers.ValidationError(
                {"category": [_("The category belongs to another topic.")]}
            )
        if category is not None and topic is None:
            attrs["topic"] = category.topic
        if attrs.get("is_auto_link") and category is None:
            raise serializers.ValidationError(
                {"is_auto_link": [_("Choose the category whose enquiries are linked.")]}
            )
        return attrs


class ProblemLinkSerializer(EnquirySelectionSerializer):
    """The enquiries to link or unlink: ids, or the list's filters."""


class ProblemCountSerializer(api.Serializer):
    count = serializers.IntegerField()


class ProblemResolveSerializer(api.Serializer):
    resolution = serializers.CharField(max_length=20000)


class ProblemResolutionSerializer(api.ModelSerializer):
    class Meta:
        model = KnownProblemResolution
        fields = [
            "batch",
            "problem",
            "resolved_at",
            "enquiry_count",
            "citizen_count",
            "notified_count",
            "text_code",
            "text_version",
            "subject",
            "body",
        ]
