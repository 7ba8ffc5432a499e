"""Mailboxes are set up here by administrators; messages are read-only.

The IMAP password is typed into a write-only field and stored encrypted;
leaving it empty keeps the stored one.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mailroom.models import (
    Correspondent,
    InboundAttachment,
    InboundMessage,
    Mailbox,
    MessageDecision,
)


class MailboxForm(forms.ModelForm):
    imap_password = forms.CharField(
        label=_("IMAP password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the current password."),
    )

    class Meta:
        model = Mailbox
        fields = [
            "address",
            "queue",
            "is_active",
            "imap_host",
            "imap_port",
            "is_imap_tls",
            "imap_user",
            "imap_folder",
        ]

    def save(self, commit=True):
        mailbox = super().save(commit=False)
        if self.cleaned_data.get("imap_password"):
            mailbox.set_imap_password(self.cleaned_data["imap_password"])
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ("address", "queue", "imap_host", "is_active", "last_polled_at", "last_error")
    list_filter = ("is_active", "queue")
    search_fields = ("address", "imap_host", "imap_user")
    readonly_fields = ("last_polled_at", "last_error", "last_error_at")


class AttachmentInline(admin.TabularInline):
    model = InboundAttachment
    fields = ("original_name", "content_type", "size")
    readonly_fields = fields
    extra = 0
    can_delete = False


class DecisionInline(admin.TabularInline):
    """The decisions about a message set aside, as logged (never edited)."""

    model = MessageDecision
    fields = ("decided_at", "decided_by", "kind", "old_status", "new_status", "queue", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "mailbox", "sender_address", "subject", "status", "enquiry")
    list_filter = ("status", "mailbox", "via")
    search_fields = ("sender_address", "subject", "message_id")
    list_select_related = ("mailbox", "enquiry")
    exclude = ("cpr_ciphertext", "raw", "body_html")
    inlines = [AttachmentInline, DecisionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Correspondent)
class CorrespondentAdmin(admin.ModelAdmin):
    list_display = ("address", "name", "enquiry", "suggested_citizen")
    list_filter = ("created_at",)
    list_select_related = ("enquiry", "suggested_citizen")
    raw_id_fields = ("enquiry", "suggested_citizen")
    search_fields = ("address", "name", "enquiry__reference")
