"""Replies to citizens: versioned answer templates, the replies sent (by
e-mail or as a letter) and the outbox that delivers the e-mails."""

from __future__ import annotations

import datetime
import secrets
import string

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from enquiries.models import Enquiry, EnquiryEvent
from nemid_cases.text_versions import TextVersion


class AnswerTemplateQuerySet(models.QuerySet["AnswerTemplate"]):
    def visible_to(self, user: Viewer) -> AnswerTemplateQuerySet:
        """Templates are shared by every queue; the permission decides."""
        if not user.is_authenticated or not user.has_perm("answers.view_answertemplate"):
            return self.none()
        return self


class AnswerTemplate(models.Model):
    """A standard answer, e.g. the welcome letter, known by its key.

    Its wording lives in its versions; a change is a new version.
    """

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("A stable key shared by every version, e.g. welcome-letter."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = AnswerTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.key

    def in_force(self, at: datetime.datetime | None = None) -> AnswerTemplateVersion | None:
        return AnswerTemplateVersion.in_force(self, at=at)


def versions_in_force(
    templates: models.QuerySet[AnswerTemplate], at: datetime.datetime | None = None
) -> list[AnswerTemplateVersion]:
    """The version in force at `at` of each template (none if not yet in
    force), in the templates' order; two queries whatever their number."""
    at = at or timezone.now()
    newest = (
        AnswerTemplateVersion.objects.filter(template=models.OuterRef("pk"), valid_from__lte=at)
        .order_by("-valid_from", "-version")
        .values("pk")[:1]
    )
    ids = [
        pk
        for pk in templates.annotate(in_force_id=models.Subquery(newest)).values_list(
            "in_force_id", flat=True
        )
        if pk is not None
    ]
    by_id = AnswerTemplateVersion.objects.select_related("template").in_bulk(ids)
    return [by_id[pk] for pk in ids]


class AnswerTemplateVersion(TextVersion):
    """One published wording of a template, in Danish and English.

    Placeholders such as {citizen_name} are checked when it is published
    (answers.placeholders); a published version is never rewritten.
    """

    GROUP = "template"

    template = models.ForeignKey(
        AnswerTemplate,
        verbose_name=_("answer template"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    subject_da = models.CharField(_("Danish subject"), max_length=200)
    body_da = models.TextField(_("Danish text"), max_length=20000)
    subject_en = models.CharField(_("English subject"), max_length=200)
    body_en = models.TextField(_("English text"), max_length=20000)

    class Meta:
        ordering = ["template", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "version"], name="answertemplateversion_unique"
            )
        ]
        indexes = [
            models.Index(fields=["template", "valid_from"], name="answertemplateversion_from")
        ]
        verbose_name = _("answer template version")
        verbose_name_plural = _("answer template versions")

    def __str__(self) -> str:
        return f"{self.template} v{self.version}"

    def subject(self, language: str) -> str:
        return self.subject_en if language.startswith("en") else self.subject_da

    def body(self, language: str) -> str:
        return self.body_en if language.startswith("en") else self.body_da


class ReplyQuerySet(models.QuerySet["Reply"]):
    def visible_to(self, user: Viewer) -> ReplyQuerySet:
        """Replies on the enquiries the user may see."""
        if not user.is_authenticated or not user.has_perm("answers.view_reply"):
            return self.none()
        return self.filter(enquiry__in=Enquiry.objects.visible_to(user))

    def for_list(self) -> ReplyQuerySet:
        return self.select_related(
            "template_version__template", "sent_by", "mail"
        ).prefetch_related("mail__deliveries")


class Reply(models.Model):
    """An answer to the citizen of an enquiry, by e-mail or as a letter.

    The text is kept as sent, with the template version it came from (none
    for free text); its timeline line is `event`.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")

    class Language(models.TextChoices):
        DA = "da", _("Danish")
        EN = "en", _("English")

    enquiry = models.ForeignKey(
        Enquiry, verbose_name=_("enquiry"), on_delete=models.CASCADE, related_name="replies"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    template_version = models.ForeignKey(
        AnswerTemplateVersion,
        verbose_name=_("template version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_email = models.EmailField(_("e-mail address"), blank=True)
    recipient_address = models.TextField(_("postal address"), blank=True, max_length=2000)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), max_length=20000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    event = models.OneToOneField(
        EnquiryEvent,
        verbose_name=_("timeline event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reply",
    )

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enquiry", "-created_at"], name="reply_enquiry")]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.enquiry_id}: {self.subject}"


TOKEN_ALPHABET = string.ascii_lowercase + string.digits


def new_message_id(reference: str) -> str:
    """`<NID-2026-000041.k3j4h5qz@domain>`: the reference lets a citizen's
    reply find its enquiry even without the stored id. Eight characters of
    token cannot hold the ten digits of a CPR number."""
    token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(8))
    return f"<{reference}.{token}@{settings.MAIL_MESSAGE_ID_DOMAIN}>"


class OutgoingMailQuerySet(models.QuerySet["OutgoingMail"]):
    def unsent(self, now: datetime.datetime) -> OutgoingMailQuerySet:
        """Queued mail nobody is sending (or whose sender died)."""
        stale = now - OutgoingMail.CLAIM_TIMEOUT
        return self.filter(status=OutgoingMail.Status.QUEUED).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
        )


class OutgoingMail(models.Model):
    """The outbox row of an e-mailed reply, written with the reply.

    A Celery task sends it after commit (answers.delivery); each try is a
    DeliveryAttempt, the delivery log shown on the enquiry.
    """

    CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
    MAX_ATTEMPTS = 6

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    reply = models.OneToOneField(
        Reply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="mail"
    )
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=200, blank=True)
    references = models.TextField(_("References"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["claimed_at"], condition=Q(status="queued"), name="outgoingmail_queued"
            )
        ]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return self.message_id


class DeliveryAttempt(models.Model):
    """One try at handing an outgoing e-mail to the mail server."""

    mail = models.ForeignKey(
        OutgoingMail,
        verbose_name=_("outgoing e-mail"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    attempted_at = models.DateTimeField(_("attempted"), default=timezone.now)
    is_delivered = models.BooleanField(_("delivered"), default=False)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.mail_id} {self.attempted_at:%Y-%m-%d %H:%M}"
