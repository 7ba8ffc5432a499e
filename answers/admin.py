"""Answers in the admin: read only. Templates are published, and replies
sent, on the pages and through the API, which check placeholders and write
the timeline; a published version or a sent reply is never edited."""

from django.contrib import admin

from answers.models import (
    AnswerTemplate,
    AnswerTemplateVersion,
    DeliveryAttempt,
    OutgoingMail,
    Reply,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(ReadOnlyAdmin):
    list_display = ("key", "created_at", "created_by")
    list_filter = ("created_at",)
    search_fields = ("key",)
    list_select_related = ("created_by",)


@admin.register(AnswerTemplateVersion)
class AnswerTemplateVersionAdmin(ReadOnlyAdmin):
    list_display = ("template", "version", "valid_from", "subject_da", "created_by")
    list_filter = ("template",)
    search_fields = ("template__key", "subject_da", "subject_en")
    list_select_related = ("template", "created_by")


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ("enquiry", "channel", "language", "template_version", "sent_by", "created_at")
    list_filter = ("channel", "language")
    search_fields = ("enquiry__reference", "subject")
    list_select_related = ("enquiry", "template_version__template", "sent_by")
    date_hierarchy = "created_at"


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ("message_id", "status", "attempts", "created_at", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("message_id", "reply__enquiry__reference")


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ("mail", "attempted_at", "is_delivered", "detail")
    list_filter = ("is_delivered",)
    search_fields = ("mail__message_id", "detail")
    list_select_related = ("mail",)
