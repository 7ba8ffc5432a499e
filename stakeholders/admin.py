"""Admin for every stakeholder model.

Attachments are added on the meeting's page (where type and size are
checked), so the admin only lists them; a recommendation's response is
changed on its page so the status history stays complete.
"""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    MeetingAttachment,
    Organisation,
    Recommendation,
    RecommendationEvent,
    WorkingGroup,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "email", "phone", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_taskforce_member", "code"]
    list_filter = ["kind", "is_taskforce_member"]
    search_fields = ["name", "short_name", "code", "notes"]
    inlines = [ContactInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "email", "is_active"]
    list_filter = ["is_active", "organisation__kind", "organisation"]
    search_fields = ["name", "title", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "established_on", "code"]
    search_fields = ["name", "purpose", "code"]
    list_filter = ["members"]
    filter_horizontal = ["members"]


class AttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "working_group", "code"]
    list_filter = ["working_group", "organisations", ("held_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "agenda", "minutes", "outcome", "code"]
    date_hierarchy = "held_on"
    filter_horizontal = ["organisations", "attendees"]
    list_select_related = ["working_group"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [AttachmentInline]


@admin.register(MeetingAttachment)
class MeetingAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "meeting", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "meeting__title"]
    list_select_related = ["meeting"]
    readonly_fields = [
        "meeting",
        "file",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = RecommendationEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "old_status", "new_status", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "meeting", "status", "received_on"]
    list_filter = ["status", "organisation", "meeting", "topics__queue"]
    search_fields = ["text", "response", "rationale", "code", "organisation__name"]
    list_select_related = ["organisation", "meeting"]
    filter_horizontal = ["topics"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        base = ["created_by", "created_at", "updated_at"]
        if obj is not None:
            return [*base, "status", "response", "rationale"]
        return base

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            RecommendationEvent.record_event(
                obj,
                RecommendationEvent.Kind.CREATED,
                by=request.user,
                text=obj.rationale,
                new_status=obj.status,
            )


@admin.register(RecommendationEvent)
class RecommendationEventAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "kind", "actor", "created_at", "new_status"]
    list_filter = ["kind", "new_status"]
    search_fields = ["text", "recommendation__text"]
    list_select_related = ["recommendation__organisation", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Waiting")), ("resolved", _("Received"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_on__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_on__isnull=False)
        return queryset


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "waiting_organisation",
        "awaited_organisation",
        "since_on",
        "expected_on",
        "resolved_on",
    ]
    list_filter = [OpenFilter, "awaited_organisation", "waiting_organisation"]
    search_fields = ["subject", "notes", "code"]
    list_select_related = ["waiting_organisation", "awaited_organisation"]
    date_hierarchy = "since_on"
    readonly_fields = ["created_by", "created_at", "resolved_by"]
