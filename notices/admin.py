from django.contrib import admin

from notices.models import (
    DraftEvent,
    Incident,
    IncidentLink,
    IncidentUpdate,
    PublicationDraft,
    StandardText,
    WebhookDelivery,
    WebhookSubscription,
)
from notices.services import add_standard_text_version


@admin.register(StandardText)
class StandardTextAdmin(admin.ModelAdmin):
    """Adding a text adds its next version; a saved version is read-only."""

    list_display = ("code", "version", "kind", "valid_from", "created_by")
    list_filter = ("kind", "valid_from")
    search_fields = ("code", "text_da", "text_en")
    list_select_related = ("created_by",)
    fields = ("code", "kind", "text_da", "text_en", "valid_from")
    date_hierarchy = "valid_from"

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def has_change_permission(self, request, obj=None) -> bool:
        # The change page still opens, read-only, for a user who may view.
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        created = add_standard_text_version(
            obj.code,
            text_da=obj.text_da,
            text_en=obj.text_en,
            kind=obj.kind,
            valid_from=obj.valid_from,
            by=request.user,
        )
        obj.pk = created.pk
        obj.version = created.version
        obj._state.adding = False


class IncidentUpdateInline(admin.TabularInline):
    model = IncidentUpdate
    fields = ("kind", "posted_at", "standard_text", "posted_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Incidents are published on the notices pages (services.py); the admin
    shows them and lets an administrator correct a title."""

    list_display = ("title_da", "severity", "started_at", "expected_end_at", "ended_at")
    list_filter = ("severity", "started_at", "ended_at")
    search_fields = ("title_da", "title_en")
    readonly_fields = ("services", "started_at", "ended_at", "published_by", "severity")
    date_hierarchy = "started_at"
    inlines = [IncidentUpdateInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(IncidentUpdate)
class IncidentUpdateAdmin(admin.ModelAdmin):
    list_display = ("incident", "kind", "posted_at", "standard_text", "posted_by")
    list_filter = ("kind", "posted_at")
    search_fields = ("incident__title_da", "incident__title_en", "standard_text__code")
    list_select_related = ("incident", "standard_text", "posted_by")
    readonly_fields = ("incident", "kind", "posted_at", "standard_text", "posted_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log; written by the delivery task only."""

    list_display = ("subscription", "event_type", "status", "attempts", "last_status_code")
    list_filter = ("status", "event_type")
    search_fields = ("subscription__name", "message_id")
    list_select_related = ("subscription",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DraftEventInline(admin.TabularInline):
    model = DraftEvent
    fields = ("kind", "created_at", "actor", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PublicationDraft)
class PublicationDraftAdmin(admin.ModelAdmin):
    """Drafts are decided on the Approvals page (four eyes, services.py);
    the admin only shows them."""

    list_display = ("kind", "status", "created_by", "created_at", "decided_by", "decided_at")
    list_filter = ("kind", "status", "created_at")
    search_fields = ("created_by__username", "rejection_reason", "incident__title_da")
    list_select_related = ("created_by", "decided_by")
    readonly_fields = (
        "kind",
        "status",
        "incident",
        "standard_text",
        "payload",
        "created_by",
        "created_at",
        "decided_by",
        "decided_at",
        "rejection_reason",
    )
    inlines = [DraftEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DraftEvent)
class DraftEventAdmin(admin.ModelAdmin):
    list_display = ("draft", "kind", "created_at", "actor")
    list_filter = ("kind", "created_at")
    search_fields = ("text", "actor__username")
    list_select_related = ("draft", "actor")
    readonly_fields = ("draft", "kind", "created_at", "actor", "text")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IncidentLink)
class IncidentLinkAdmin(admin.ModelAdmin):
    """Links are made on the incident's page, the enquiry list and the API;
    here they are only read."""

    list_display = ("incident", "enquiry", "linked_by", "linked_at")
    list_filter = ("incident__severity",)
    search_fields = ("enquiry__reference", "incident__title_da", "incident__title_en")
    list_select_related = ("incident", "enquiry", "linked_by")
    readonly_fields = ("incident", "enquiry", "linked_by", "linked_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False
