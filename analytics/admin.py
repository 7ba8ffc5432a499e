from django.contrib import admin

from analytics.models import (
    DirtyDay,
    DurationCount,
    EnquiryDay,
    PatternAlert,
    TopicShare,
)


class ComputedAdmin(admin.ModelAdmin):
    """Rows the statistics recompute writes: read them here, rebuild with the command."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PatternAlert)
class PatternAlertAdmin(admin.ModelAdmin):
    list_display = ("topic", "category", "queue", "kind", "week_start", "observed", "status")
    list_filter = ("status", "kind", "queue")
    search_fields = ("key", "topic__name_da", "topic__name_en", "category__name_da")
    list_select_related = ("topic", "category", "queue")
    readonly_fields = ("evidence", "raised_at", "last_detected_on", "subsided_on", "key")
    raw_id_fields = ("action", "decided_by")


@admin.register(TopicShare)
class TopicShareAdmin(ComputedAdmin):
    list_display = ("queue", "granularity", "period_start", "basis", "level", "topic", "count")
    list_filter = ("queue", "granularity", "basis", "level")
    search_fields = ("topic__name_da", "topic__name_en", "category__name_da", "category__name_en")
    list_select_related = ("queue", "topic")
    date_hierarchy = "period_start"


@admin.register(EnquiryDay)
class EnquiryDayAdmin(ComputedAdmin):
    list_display = ("queue", "day", "received", "resolved", "resolved_on_time", "computed_at")
    list_filter = ("queue", "day")
    search_fields = ("queue__code", "queue__name_da", "queue__name_en")
    list_select_related = ("queue",)
    date_hierarchy = "day"


@admin.register(DurationCount)
class DurationCountAdmin(ComputedAdmin):
    list_display = ("queue", "granularity", "period_start", "measure", "bucket", "count")
    list_filter = ("queue", "granularity", "measure")
    search_fields = ("queue__code", "queue__name_da", "queue__name_en")
    list_select_related = ("queue",)
    date_hierarchy = "period_start"


@admin.register(DirtyDay)
class DirtyDayAdmin(admin.ModelAdmin):
    list_display = ("queue", "day", "marked_at")
    list_filter = ("queue", "day")
    search_fields = ("queue__code", "queue__name_da", "queue__name_en")
