from django.contrib import admin

from problems.models import KnownProblem, KnownProblemLink, KnownProblemResolution


@admin.register(KnownProblem)
class KnownProblemAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "category", "is_auto_link", "created_at", "resolved_at")
    list_filter = ("status", "is_auto_link", "topic")
    search_fields = ("title", "description")
    list_select_related = ("category", "topic")
    raw_id_fields = ("category", "topic")
    date_hierarchy = "created_at"


@admin.register(KnownProblemLink)
class KnownProblemLinkAdmin(admin.ModelAdmin):
    """Links are made on the pages and in the API; here they are only read."""

    list_display = ("problem", "enquiry", "linked_by", "linked_at")
    list_filter = ("problem__status",)
    search_fields = ("enquiry__reference", "problem__title")
    list_select_related = ("problem", "enquiry", "linked_by")
    readonly_fields = ("problem", "enquiry", "linked_by", "linked_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(KnownProblemResolution)
class KnownProblemResolutionAdmin(admin.ModelAdmin):
    """A resolution is a record of what was done and sent; never edited."""

    list_display = ("problem", "resolved_at", "enquiry_count", "notified_count", "text_version")
    list_filter = ("text_code",)
    search_fields = ("problem__title", "batch")
    list_select_related = ("problem",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
