from django.contrib import admin

from feedback.models import EnquiryRating, SurveyResult


@admin.register(SurveyResult)
class SurveyResultAdmin(admin.ModelAdmin):
    list_display = (
        "source",
        "published_on",
        "is_date_estimated",
        "respondents",
        "base",
        "share_satisfied",
    )
    list_filter = ("conducted_by", "commissioned_by")
    search_fields = ("source", "code", "notes")
    list_select_related = ("conducted_by", "commissioned_by")
    date_hierarchy = "published_on"


@admin.register(EnquiryRating)
class EnquiryRatingAdmin(admin.ModelAdmin):
    """Ratings are recorded by agents and citizens, not typed in here.

    An administrator may delete a rating recorded by mistake; the agent or
    citizen can then rate again.
    """

    list_display = ("enquiry", "score", "source", "recorded_at", "recorded_by")
    list_filter = ("source", "score")
    search_fields = ("enquiry__reference",)
    list_select_related = ("enquiry", "recorded_by")
    readonly_fields = ("enquiry", "score", "source", "comment", "recorded_at", "recorded_by")
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
