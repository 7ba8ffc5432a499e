from django.contrib import admin

from privacy.models import Anonymisation, DataRequest, RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    """The retention periods: a default, per queue, per category (the most specific wins)."""

    list_display = ("scope_label", "queue", "category", "retain_days", "basis", "updated_at")
    list_filter = ("queue",)
    search_fields = ("category__name_da", "category__name_en", "queue__name_da", "basis")
    list_select_related = ("queue", "category__topic")
    autocomplete_fields = ("category",)
    fields = ("queue", "category", "retain_days", "basis")


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """The log of access exports and erasures; written by the data-request pages only."""

    list_display = ("handled_at", "kind", "citizen_id", "handled_by", "enquiry_count", "reason")
    list_filter = ("kind", "format")
    search_fields = ("reason", "handled_by__username")
    list_select_related = ("handled_by",)
    date_hierarchy = "handled_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Anonymisation)
class AnonymisationAdmin(admin.ModelAdmin):
    """What was anonymised, when and by which policy or request (ids only)."""

    list_display = ("anonymised_at", "cause", "enquiry_id", "citizen_id", "rule", "data_request")
    list_filter = ("cause", "policy")
    search_fields = ("rule", "enquiry__reference")
    date_hierarchy = "anonymised_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
