"""Outage notices ("driftstatus"): versioned standard texts, incidents and
their public timeline."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from nemid_cases.models import TimelineEvent
from nemid_cases.text_versions import TextVersion
from nemid_cases.versioning import Versioned


class StandardText(TextVersion):
    """One version of a standard text in Danish and English.

    A change is a new row with the next version number; a saved version is
    never rewritten, so whatever quoted it keeps its exact wording.
    """

    GROUP = "code"

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident update")
        RESOLUTION = "resolution", _("Resolution message")
        OTHER = "other", _("Other")

    code = models.SlugField(
        _("code"),
        max_length=80,
        help_text=_("A stable key shared by every version, e.g. login-down."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INCIDENT)
    text_da = models.TextField(_("Danish text"), max_length=4000)
    text_en = models.TextField(_("English text"), max_length=4000)

    class Meta:
        verbose_name = _("standard text")
        verbose_name_plural = _("standard texts")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="notices_standardtext_code_version"
            )
        ]
        indexes = [models.Index(fields=["code", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_da

    @classmethod
    def current(cls, code: str, *, at: datetime | None = None) -> StandardText | None:
        """The version of `code` in force at `at` (now by default), or None."""
        return cls.in_force(code, at=at)


class Service(models.TextChoices):
    """The NemID services an incident can affect (a fixed list)."""

    LOGIN = "login", _("Log-in")
    SIGNING = "signing", _("Signing")
    ACTIVATION = "activation", _("Activation")
    KEY_CARD_ORDERING = "key_card_ordering", _("Key card ordering")
    NETBANK_LOGIN = "netbank_login", _("Net bank log-in")
    PUBLIC_SELF_SERVICE = "public_self_service", _("Public self-service log-in")
    SUPPORT_PHONE = "support_phone", _("NemID support telephone")


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: Viewer) -> IncidentQuerySet:
        if not user.is_authenticated or not user.has_perm("notices.view_incident"):
            return self.none()
        return self

    def ongoing(self) -> IncidentQuerySet:
        return self.filter(ended_at__isnull=True)

    def overlapping(self, start: datetime, end: datetime) -> IncidentQuerySet:
        """Incidents whose window (start to actual, else expected, end; open
        while neither is known) meets [start, end)."""
        closes_at = Coalesce("ended_at", "expected_end_at")
        return (
            self.filter(started_at__lt=end)
            .alias(closes_at=closes_at)
            .filter(models.Q(closes_at__isnull=True) | models.Q(closes_at__gte=start))
        )

    def public(self, *, now: datetime | None = None) -> IncidentQuerySet:
        """Ongoing incidents and those ended in the last PUBLIC_DAYS days."""
        now = now or timezone.now()
        since = now - timedelta(days=Incident.PUBLIC_DAYS)
        return self.filter(models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=since))


class Incident(models.Model):
    """An outage or disturbance of one or more NemID services."""

    # Ended incidents stay on the public page and in the feeds this long.
    PUBLIC_DAYS = 7

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor disturbance")
        MAJOR = "major", _("Major disturbance")
        OUTAGE = "outage", _("Outage")

    title_da = models.CharField(_("Danish title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    services = models.JSONField(_("affected services"), default=list)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    started_at = models.DateTimeField(_("started"))
    expected_end_at = models.DateTimeField(_("expected end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at", "-id"]
        permissions = [("publish_incident", _("Can publish outage notices"))]
        indexes = [models.Index(fields=["ended_at"])]

    def __str__(self) -> str:
        return self.title_da

    @property
    def is_ongoing(self) -> bool:
        return self.ended_at is None

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title_da

    def window_end(self, now: datetime) -> datetime:
        """Where the incident's window ends: the actual end, else the
        expected one, else now (it is still going on)."""
        return self.ended_at or self.expected_end_at or now

    def service_labels(self) -> list[str]:
        labels = dict(Service.choices)
        return [str(labels.get(code, code)) for code in self.services]

    def clean(self) -> None:
        errors: dict[str, object] = {}
        unknown = [code for code in self.services or [] if code not in Service.values]
        if not self.services:
            errors["services"] = _("Choose at least one affected service.")
        elif unknown:
            errors["services"] = _("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)}
        if self.started_at and self.expected_end_at and self.expected_end_at < self.started_at:
            errors["expected_end_at"] = _("The expected end cannot be before the start.")
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            errors["ended_at"] = _("The end cannot be before the start.")
        if errors:
            raise ValidationError(errors)


class IncidentUpdate(models.Model):
    """One entry of an incident's public timeline.

    It points at the standard text version it was posted with; versions are
    never rewritten, so the published wording stays as it was.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UPDATE = "update", _("Update")
        RESOLVED = "resolved", _("Resolved")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    standard_text = models.ForeignKey(
        StandardText,
        verbose_name=_("standard text"),
        on_delete=models.PROTECT,
        related_name="incident_updates",
    )
    posted_at = models.DateTimeField(_("posted"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ["posted_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident} · {self.get_kind_display()}"

    def text(self, language: str) -> str:
        return self.standard_text.text(language)


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    import base64
    import secrets

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookSubscription(Versioned):
    """A bank, borger.dk or a public provider that is told of incidents.

    Versioned: an API PATCH (e.g. a pause) needs If-Match.
    """

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    services = models.JSONField(
        _("services"),
        default=list,
        blank=True,
        help_text=_("Codes of the services it cares about; empty: all."),
    )
    secret = models.CharField(_("secret"), max_length=100, default=new_webhook_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def wants(self, incident: Incident) -> bool:
        return not self.services or bool(set(self.services) & set(incident.services))

    def clean(self) -> None:
        from notices.webhooks import check_url

        unknown = [code for code in self.services or [] if code not in Service.values]
        if unknown:
            raise ValidationError(
                {"services": _("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
        check_url(self.url)


class WebhookDelivery(models.Model):
    """One event for one subscriber: the delivery log.

    The body is fixed when the event happens; retries send the same id,
    timestamp-signed anew, so the subscriber can drop a repeat by its id.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    message_id = models.CharField(_("message id"), max_length=60, unique=True)
    event_type = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subscription} · {self.event_type} · {self.get_status_display()}"


class PublicationDraftQuerySet(models.QuerySet["PublicationDraft"]):
    def visible_to(self, user: Viewer) -> PublicationDraftQuerySet:
        if not user.is_authenticated or not user.has_perm("notices.view_publicationdraft"):
            return self.none()
        return self

    def pending(self) -> PublicationDraftQuerySet:
        return self.filter(status=PublicationDraft.Status.PENDING)

    def for_list(self) -> PublicationDraftQuerySet:
        return self.select_related("incident", "created_by", "decided_by")


class PublicationDraft(Versioned):
    """A publication waiting for approval (accounts.roles.APPROVAL_NEEDED).

    It holds the publishing service's arguments; nothing of it is public
    until another person approves it, when that service runs. Versioned: an
    approval or rejection names the version its approver read.
    """

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("New incident")
        UPDATE = "update", _("Public update")
        RESOLUTION = "resolution", _("Resolution")
        STANDARD_TEXT = "standard_text", _("New standard text version")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        help_text=_("The incident an update is for; a new incident's, once approved."),
    )
    standard_text = models.ForeignKey(
        StandardText,
        verbose_name=_("standard text"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The version made on approval."),
    )
    payload = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)

    objects = PublicationDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication draft")
        verbose_name_plural = _("publication drafts")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_publicationdraft", _("Can approve outage notice drafts"))]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def title(self) -> str:
        """A line naming what the draft publishes."""
        if self.kind == self.Kind.INCIDENT:
            return str(self.payload.get("title_da", ""))
        if self.kind == self.Kind.STANDARD_TEXT:
            return str(self.payload.get("code", ""))
        return self.incident.title_da if self.incident else ""

    def wording(self) -> StandardText | None:
        """The standard text an incident draft would be published with now
        (the version in force at approval is the one used)."""
        code = self.payload.get("text_code")
        return StandardText.current(code) if code else None


class DraftEvent(TimelineEvent):
    """One line of a draft's timeline: submitted, approved or rejected."""

    subject_field = "draft"

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved and published")
        REJECTED = "rejected", _("Rejected")

    draft = models.ForeignKey(
        PublicationDraft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The base's text, holding a rejection's reason, as long as the reason
    # may be.
    text = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("draft event")
        verbose_name_plural = _("draft events")

    def __str__(self) -> str:
        return f"{self.draft} · {self.get_kind_display()}"


class IncidentLink(models.Model):
    """An enquiry received because of an incident: who linked it, and when.

    Suggested on the incident's page from its window and services
    (notices/service_map.py); linking and unlinking go through services.
    """

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    enquiry = models.ForeignKey(
        "enquiries.Enquiry",
        verbose_name=_("enquiry"),
        on_delete=models.CASCADE,
        related_name="incident_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        verbose_name = _("enquiry linked to an incident")
        verbose_name_plural = _("enquiries linked to incidents")
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "enquiry"], name="incidentlink_unique")
        ]
        indexes = [models.Index(fields=["enquiry"], name="incidentlink_enquiry")]

    def __str__(self) -> str:
        return f"{self.incident_id} ↔ {self.enquiry_id}"
