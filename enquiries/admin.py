from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enquiries.models import (
    AssignmentTurn,
    Category,
    Citizen,
    CprReveal,
    Enquiry,
    EnquiryEvent,
    Notification,
    Queue,
    SavedFilter,
    SlaPolicy,
    Topic,
)


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = (
        "name_da",
        "name_en",
        "code",
        "reference_prefix",
        "team",
        "manager",
        "is_auto_rating_invitation",
    )
    search_fields = ("name_da", "name_en", "code")
    list_filter = ("team", "is_auto_rating_invitation")


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ("code", "name_da", "name_en", "position", "is_active")
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name_da", "name_en", "queue", "position", "is_active")
    list_filter = ("queue", "is_active")
    search_fields = ("name_da", "name_en", "code")
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_da", "name_en", "topic", "position", "is_active")
    list_filter = ("topic__queue", "topic", "is_active")
    search_fields = ("name_da", "name_en", "code")
    list_select_related = ("topic__queue",)

    def has_delete_permission(self, request, obj=None):
        # Retire instead: enquiries keep their category forever.
        return False


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ("name", "cpr_masked", "phone", "email")
    search_fields = ("name", "phone", "email")
    list_filter = ("needs_large_print", "needs_blind_solution", "needs_sign_language")
    exclude = ("cpr_ciphertext",)
    readonly_fields = ("cpr_masked",)


@admin.register(CprReveal)
class CprRevealAdmin(admin.ModelAdmin):
    list_display = ("revealed_at", "revealed_by", "citizen", "reason")
    list_filter = ("revealed_by",)
    search_fields = ("citizen__name", "reason")
    date_hierarchy = "revealed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EnquiryEventInline(admin.TabularInline):
    model = EnquiryEvent
    fields = ("created_at", "kind", "actor", "old_label", "new_label", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "subject",
        "queue",
        "channel",
        "status",
        "priority",
        "category",
        "assignee",
        "received_at",
    )
    list_filter = ("queue", "status", "priority", "channel", "topic", "language")
    search_fields = ("reference", "subject", "description")
    list_select_related = ("queue", "category", "assignee")
    date_hierarchy = "received_at"
    raw_id_fields = ("citizen",)
    autocomplete_fields = ("category", "assignee")
    filter_horizontal = ("additional_topics",)
    readonly_fields = ("reference", "status", "created_at", "updated_at")
    inlines = [EnquiryEventInline]
    fieldsets = (
        (None, {"fields": ("reference", "queue", "channel", "received_at", "status")}),
        (
            _("Content"),
            {"fields": ("citizen", "subject", "description", "language", "resolution")},
        ),
        (
            _("Classification"),
            {"fields": ("category", "additional_topics", "priority", "assignee", "team")},
        ),
        (
            _("Deadlines"),
            {
                "fields": (
                    "first_response_due_at",
                    "resolution_due_at",
                    "first_responded_at",
                    "resolved_at",
                    "closed_at",
                    "escalation_level",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # Enquiries get their reference and timeline from the service.
        return False


@admin.register(EnquiryEvent)
class EnquiryEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "enquiry", "kind", "actor", "old_label", "new_label")
    list_filter = ("kind",)
    search_fields = ("enquiry__reference", "text")
    list_select_related = ("enquiry", "actor")
    raw_id_fields = ("enquiry",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "is_shared", "query_string")
    list_filter = ("is_shared",)
    search_fields = ("name", "owner__username")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "queue",
        "priority",
        "category",
        "first_response_minutes",
        "resolution_minutes",
        "manager_delay_minutes",
    )
    list_filter = ("queue", "priority")
    search_fields = ("queue__code", "category__code", "category__name_da", "category__name_en")
    list_select_related = ("queue", "category__topic")
    autocomplete_fields = ("category",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The e-mail outbox, for looking into what was (not) sent."""

    list_display = ("created_at", "recipient", "subject", "sent_at", "attempts", "last_error")
    list_filter = ("sent_at",)
    search_fields = ("recipient", "subject", "key")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AssignmentTurn)
class AssignmentTurnAdmin(admin.ModelAdmin):
    list_display = ("user", "last_assigned_at")
    list_filter = ("user__team",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
