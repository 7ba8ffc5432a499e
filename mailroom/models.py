"""Inbound e-mail: the mailboxes polled, every message received, its files.

A message is kept whatever becomes of it (filed on an enquiry, recognised
as an auto-reply or a bounce, or set aside in quarantine with the reason),
so no mail is ever lost. Text is stored with CPR numbers masked; the
numbers found are kept encrypted beside it (`cpr_ciphertext`).
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from accounts.roles import ALL_QUEUE_ROLES
from enquiries import cpr
from enquiries.models import Citizen, Enquiry, Queue


def encrypt_text(text: str) -> str:
    """Fernet with the CPR keys (enquiries.cpr): the same rotation applies."""
    return cpr.fernet().encrypt(text.encode()).decode() if text else ""


def decrypt_text(ciphertext: str) -> str:
    return cpr.fernet().decrypt(ciphertext.encode()).decode() if ciphertext else ""


class MailboxQuerySet(models.QuerySet["Mailbox"]):
    def visible_to(self, user: Viewer) -> MailboxQuerySet:
        if not user.is_authenticated or not user.has_perm("mailroom.view_mailbox"):
            return self.none()
        return self


class Mailbox(models.Model):
    """An address the desk receives mail at, and the queue its mail goes to.

    Polled over IMAP when `imap_host` is set; a provider may push instead.
    The IMAP password is held encrypted like a citizen's CPR number.
    """

    address = models.EmailField(_("address"), unique=True)
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="mailboxes"
    )
    imap_host = models.CharField(
        _("IMAP server"), max_length=200, blank=True, help_text=_("Empty: mail is pushed.")
    )
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    is_imap_tls = models.BooleanField(_("IMAP over TLS"), default=True)
    imap_user = models.CharField(_("IMAP user"), max_length=200, blank=True)
    imap_password_ciphertext = cpr.EncryptedTextField(
        _("IMAP password (encrypted)"), blank=True, editable=False
    )
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)

    objects = MailboxQuerySet.as_manager()

    class Meta:
        ordering = ["address"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        permissions = [("push_message", _("Can deliver raw e-mail to a mailbox (push)"))]

    def __str__(self) -> str:
        return self.address

    @property
    def is_polled(self) -> bool:
        return bool(self.imap_host)

    def set_imap_password(self, password: str) -> None:
        self.imap_password_ciphertext = encrypt_text(password)

    def imap_password(self) -> str:
        return decrypt_text(self.imap_password_ciphertext)


class InboundMessageQuerySet(models.QuerySet["InboundMessage"]):
    def visible_to(self, user: Viewer) -> InboundMessageQuerySet:
        """Messages on the enquiries the user sees; quarantined and unfiled
        ones (no enquiry) only for those who may read the quarantine: every
        mailbox's for the oversight roles, else those of the mailboxes of
        the queues the user sees (a team lead's)."""
        if not user.is_authenticated or not user.has_perm("mailroom.view_inboundmessage"):
            return self.none()
        on_enquiries = Q(enquiry__in=Enquiry.objects.visible_to(user))
        if not user.has_perm("mailroom.view_quarantine"):
            return self.filter(on_enquiries)
        if user.has_role(*ALL_QUEUE_ROLES):
            return self
        unfiled = Q(enquiry__isnull=True, mailbox__queue__in=Queue.objects.visible_to(user))
        return self.filter(on_enquiries | unfiled)

    def quarantined(self) -> InboundMessageQuerySet:
        return self.filter(status=InboundMessage.Status.QUARANTINED)

    def automatic(self) -> InboundMessageQuerySet:
        """Auto-replies and bounces: set aside, and a false positive can be filed."""
        return self.filter(
            status__in=[InboundMessage.Status.AUTO_REPLY, InboundMessage.Status.BOUNCE]
        )


class InboundMessage(models.Model):
    """One e-mail as received, once per mailbox (`digest` of its bytes).

    `body_html` is sanitised (nh3) before it is stored, never raw. The raw
    message is kept (encrypted, under var/) when anything of it was not
    filed: a quarantined message, or a refused attachment.
    """

    class Status(models.TextChoices):
        FILED = "filed", _("Filed on an enquiry")
        AUTO_REPLY = "auto_reply", _("Automatic reply")
        BOUNCE = "bounce", _("Bounce")
        QUARANTINED = "quarantined", _("Quarantined")
        DISCARDED = "discarded", _("Discarded")

    class Via(models.TextChoices):
        IMAP = "imap", _("IMAP")
        PUSH = "push", _("Pushed")

    mailbox = models.ForeignKey(
        Mailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="messages"
    )
    digest = models.CharField(_("SHA-256 of the message"), max_length=64, editable=False)
    via = models.CharField(_("received by"), max_length=10, choices=Via.choices)
    message_id = models.CharField(_("Message-ID"), max_length=500, blank=True, db_index=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=500, blank=True)
    references = models.TextField(_("References"), blank=True)
    sender_address = models.CharField(_("sender"), max_length=320, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML (sanitised)"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    enquiry = models.ForeignKey(
        Enquiry,
        verbose_name=_("enquiry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    is_new_enquiry = models.BooleanField(_("started the enquiry"), default=False)
    # A JSON list of the CPR numbers found in the message, Fernet-encrypted.
    cpr_ciphertext = cpr.EncryptedTextField(_("CPR numbers found (encrypted)"), blank=True)
    raw = cpr.EncryptedFileField(_("raw message (encrypted)"), max_length=200, blank=True)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "digest"], name="inbound_once_per_mailbox")
        ]
        indexes = [
            models.Index(fields=["enquiry", "received_at"], name="inbound_enquiry_at"),
            models.Index(
                fields=["-received_at"],
                condition=Q(status="quarantined"),
                name="inbound_quarantined",
            ),
        ]
        permissions = [
            ("view_quarantine", _("Can see quarantined e-mail")),
            ("refile_message", _("Can file or discard quarantined and automatic e-mail")),
        ]
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")

    def __str__(self) -> str:
        return f"{self.sender_address}: {self.subject}"

    def cpr_numbers(self) -> list[str]:
        """The CPR numbers found on intake, as written (decrypted)."""
        return json.loads(decrypt_text(self.cpr_ciphertext)) if self.cpr_ciphertext else []

    @property
    def is_set_aside(self) -> bool:
        """Quarantined, or an automatic mail that filed nothing: a person may
        still file it (mailroom.services.refile_message, file_as_enquiry)."""
        automatic = (self.Status.AUTO_REPLY, self.Status.BOUNCE)
        return self.status == self.Status.QUARANTINED or (
            self.status in automatic and self.enquiry_id is None
        )


class MessageDecision(models.Model):
    """What a person decided about a message set aside, with who, when, why.

    Written by mailroom.services only; never changed. The message's status
    and reason before the decision are kept here, as the row itself moves on.
    """

    class Kind(models.TextChoices):
        REFILED = "refiled", _("Read again and filed")
        FILED_AS_ENQUIRY = "filed_as_enquiry", _("Filed as an enquiry")
        DISCARDED = "discarded", _("Discarded")

    message = models.ForeignKey(
        InboundMessage,
        verbose_name=_("e-mail"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)
    old_status = models.CharField(
        _("status before"), max_length=20, choices=InboundMessage.Status.choices
    )
    old_reason = models.CharField(_("reason before"), max_length=500, blank=True)
    new_status = models.CharField(
        _("status after"), max_length=20, choices=InboundMessage.Status.choices
    )
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    enquiry = models.ForeignKey(
        Enquiry,
        verbose_name=_("enquiry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("decision on an e-mail")
        verbose_name_plural = _("decisions on e-mails")

    def __str__(self) -> str:
        return f"{self.message_id}: {self.kind}"


def attachment_path(instance: InboundAttachment, filename: str) -> str:
    # A random name: the stored path tells nothing and cannot collide.
    return f"mail-attachments/{uuid.uuid4().hex}"


class InboundAttachment(models.Model):
    """A file of an inbound e-mail, accepted by its content (mailroom.filetypes).

    Stored under var/ (MEDIA_ROOT, never routed) and served only to those
    who see the enquiry, as a download.
    """

    message = models.ForeignKey(
        InboundMessage,
        verbose_name=_("e-mail"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("e-mail attachment")
        verbose_name_plural = _("e-mail attachments")

    def __str__(self) -> str:
        return self.original_name


class CorrespondentQuerySet(models.QuerySet["Correspondent"]):
    def visible_to(self, user: Viewer) -> CorrespondentQuerySet:
        if not user.is_authenticated or not user.has_perm("mailroom.view_correspondent"):
            return self.none()
        return self.filter(enquiry__in=Enquiry.objects.visible_to(user))


class Correspondent(models.Model):
    """Someone who wrote about an enquiry by e-mail, known or not.

    A sender whose address one citizen has is suggested as that citizen;
    an agent links the enquiry to a citizen (mailroom.services.link_citizen).
    """

    enquiry = models.ForeignKey(
        Enquiry,
        verbose_name=_("enquiry"),
        on_delete=models.CASCADE,
        related_name="correspondents",
    )
    address = models.CharField(_("address"), max_length=320)
    name = models.CharField(_("name"), max_length=200, blank=True)
    suggested_citizen = models.ForeignKey(
        Citizen,
        verbose_name=_("suggested citizen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("first written"), default=timezone.now)

    objects = CorrespondentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enquiry", "address"], name="correspondent_once_per_enquiry"
            )
        ]
        verbose_name = _("correspondent")
        verbose_name_plural = _("correspondents")

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address
