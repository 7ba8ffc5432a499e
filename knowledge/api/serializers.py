from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from answers.models import AnswerTemplateVersion
from enquiries.models import Category
from knowledge.models import Article, ArticleVersion
from nemid_cases import api, moments


class ArticleVersionSerializer(api.ModelSerializer):
    key = serializers.CharField(source="article.key", read_only=True)
    valid_from = moments.MomentField(
        required=False, help_text=_("When the version takes effect; empty: now.")
    )

    class Meta:
        model = ArticleVersion
        fields = [
            "id",
            "key",
            "version",
            "valid_from",
            "title_da",
            "body_da",
            "answer_da",
            "title_en",
            "body_en",
            "answer_en",
            "created_at",
        ]
        read_only_fields = ["id", "key", "version", "created_at"]


class ArticleSerializer(api.ModelSerializer):
    category = api.IdField(read_only=True, allow_null=True)
    owner = serializers.CharField(source="owner.username", read_only=True, default=None)
    in_force = serializers.SerializerMethodField(help_text=_("The version in force now, if any."))

    class Meta:
        model = Article
        fields = [
            "id",
            "key",
            "category",
            "topic",
            "is_public",
            "owner",
            "last_reviewed",
            "created_at",
            "in_force",
        ]
        read_only_fields = fields

    @extend_schema_field(ArticleVersionSerializer(allow_null=True))
    def get_in_force(self, article) -> dict | None:
        version = self.context.get("in_force", {}).get(article.pk)
        return ArticleVersionSerializer(version).data if version else None


class NewArticleSerializer(api.Serializer):
    key = serializers.SlugField(max_length=80)
    category = api.IdField(queryset=Category.objects.all(), required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False, default=False)
    valid_from = moments.MomentField(required=False)
    title_da = serializers.CharField(max_length=200)
    body_da = serializers.CharField(max_length=20000)
    answer_da = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200)
    body_en = serializers.CharField(max_length=20000)
    answer_en = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class SuggestQuerySerializer(api.Serializer):
    """Query parameters: text, so the category is a number read from it."""

    subject = serializers.CharField(required=False, allow_blank=True, max_length=300)
    category = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class SuggestedTemplateSerializer(api.ModelSerializer):
    key = serializers.CharField(source="template.key", read_only=True)

    class Meta:
        model = AnswerTemplateVersion
        fields = ["id", "key", "version", "subject_da", "subject_en"]
        read_only_fields = fields


class SuggestionsSerializer(api.Serializer):
    articles = ArticleVersionSerializer(many=True, read_only=True)
    templates = SuggestedTemplateSerializer(many=True, read_only=True)
