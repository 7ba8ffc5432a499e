from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from accounts.roles import ALL_QUEUE_ROLES
from enquiries import cpr
from nemid_cases.models import Authored, TimelineEvent, field_label
from nemid_cases.versioning import Versioned


class TranslatedName(models.Model):
    """Reference data named in Danish with an English translation."""

    name_da = models.CharField(_("name (Danish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = get_language() or settings.LANGUAGE_CODE
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_da


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    WEB_FORM = "web_form", _("Web form")
    IN_PERSON = "in_person", _("In person")
    PRESS = "press", _("Press")


class QueueQuerySet(models.QuerySet["Queue"]):
    def visible_to(self, user: Viewer) -> QueueQuerySet:
        if not user.is_authenticated or not user.has_perm("enquiries.view_queue"):
            return self.none()
        if user.has_role(*ALL_QUEUE_ROLES):
            return self
        return self.filter(team_id__in=user.scope_team_ids())


class Queue(TranslatedName):
    """Where enquiries arrive: NemID-support, the ministry's letter desk, press.

    Each queue has its own topic taxonomy and reference prefix.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=5,
        unique=True,
        help_text=_("Starts every reference in the queue, e.g. NID."),
    )
    default_channel = models.CharField(_("default channel"), max_length=20, choices=Channel.choices)
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queues",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_queues",
        help_text=_("Receives the second level of escalations."),
    )
    is_auto_assign = models.BooleanField(
        _("assign automatically"),
        default=False,
        help_text=_("Give new enquiries to the available agent with the fewest open ones."),
    )
    is_auto_rating_invitation = models.BooleanField(
        _("e-mail the rating link on resolution"),
        default=False,
        help_text=_(
            "When an enquiry is resolved, e-mail the citizen the link to rate it "
            "(only citizens who gave an e-mail address; at most once per resolution)."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = QueueQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def enquiries_visible_to(self, user: Viewer) -> bool:
        """Whether `user` may open every enquiry of the queue, holder or not:
        EnquiryQuerySet.visible_to's rule for one queue, on rows in memory."""
        if not user.is_authenticated or not user.has_perm("enquiries.view_enquiry"):
            return False
        if user.has_role(*ALL_QUEUE_ROLES):
            return True
        return self.team_id is not None and self.team_id in user.scope_team_id_set()


class Topic(TranslatedName):
    """A broad subject in a queue's taxonomy, e.g. "Midlertidig adgangskode"."""

    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="topics"
    )
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["queue__position", "position", "name_da"]
        constraints = [models.UniqueConstraint(fields=["queue", "code"], name="topic_unique_code")]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class CategoryQuerySet(models.QuerySet["Category"]):
    def active(self) -> CategoryQuerySet:
        return self.filter(is_active=True, topic__is_active=True)


class Category(TranslatedName):
    """A fine-grained classification under a topic.

    Retire a category by clearing `is_active`: it leaves the pickers but stays
    on the enquiries that already carry it.
    """

    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="categories",
    )
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["topic__queue__position", "topic__position", "position", "name_da"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "code"], name="category_unique_code")
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    @property
    def label(self) -> str:
        return f"{self.topic.name} › {self.name}"


class CitizenQuerySet(models.QuerySet["Citizen"]):
    def visible_to(self, user: Viewer) -> CitizenQuerySet:
        """Citizens the user knows through enquiries (`known_to`), and those
        they found across teams or registered within CprReveal.LOOKUP_GRANT
        (each such look-up or registration is logged)."""
        known = self.known_to(user)
        if not user.is_authenticated or user.has_role(*ALL_QUEUE_ROLES):
            return known
        if not user.has_perm("enquiries.view_citizen"):
            return known
        granted = CprReveal.objects.filter(
            revealed_by_id=user.pk,
            kind__in=[CprReveal.Kind.LOOKUP, CprReveal.Kind.REGISTRATION],
            revealed_at__gte=timezone.now() - CprReveal.LOOKUP_GRANT,
        )
        return known | self.filter(pk__in=granted.values("citizen_id"))

    def known_to(self, user: Viewer) -> CitizenQuerySet:
        """All for oversight roles; for support staff, the citizens of the
        enquiries they see (their teams' queues and what they hold)."""
        if not user.is_authenticated or not user.has_perm("enquiries.view_citizen"):
            return self.none()
        if user.has_role(*ALL_QUEUE_ROLES):
            return self
        through_enquiries = Enquiry.objects.visible_to(user).filter(citizen__isnull=False)
        return self.filter(pk__in=through_enquiries.values("citizen_id"))

    def exact(self, text: str) -> CitizenQuerySet:
        """Citizens with exactly this CPR number or phone number (8 digits)."""
        text = text.strip()
        match = Q(pk__in=[])
        if cpr.CPR_PATTERN.match(text):
            # Not a CPR number, it may still be a phone number.
            with contextlib.suppress(ValidationError):
                match |= Q(cpr_digest__in=cpr.cpr_digests(cpr.normalize_cpr(text)))
        digits = normalize_phone(text)
        if len(digits) == 8 and len(digits) * 2 >= len(text.replace(" ", "")):
            match |= Q(phone_digits=digits)
        return self.filter(match)

    def with_cpr(self, value: str) -> CitizenQuerySet:
        """Exact match on a CPR number (validated first; raises if invalid)."""
        return self.filter(cpr_digest__in=cpr.cpr_digests(cpr.normalize_cpr(value)))

    def matching(self, text: str) -> CitizenQuerySet:
        """Look-up as an agent types: a CPR number, a phone number or a name."""
        text = text.strip()
        if not text:
            return self.none()
        if cpr.CPR_PATTERN.match(text):
            try:
                return self.with_cpr(text)
            except ValidationError:
                pass  # Not a CPR number; ten digits may be a phone number with 45.
        digits = normalize_phone(text)
        if len(digits) >= 6 and len(digits) * 2 >= len(text.replace(" ", "")):
            return self.filter(phone_digits__startswith=digits)
        return self.filter(name__icontains=text)


class Citizen(Versioned):
    """A person who contacts support. The CPR number is held only encrypted.

    Set it with `set_cpr()`; look it up with `Citizen.objects.with_cpr()`.
    """

    name = models.CharField(_("name"), max_length=200, validators=[cpr.reject_cpr_in_text])
    cpr_ciphertext = cpr.EncryptedTextField(_("CPR number (encrypted)"), blank=True)
    cpr_digest = models.CharField(
        _("CPR digest"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    cpr_masked = models.CharField(_("CPR number"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_digits = models.CharField(max_length=30, blank=True, db_index=True, editable=False)
    address = models.TextField(_("address"), blank=True, validators=[cpr.reject_cpr_in_text])
    needs_large_print = models.BooleanField(_("large-print key card"), default=False)
    needs_blind_solution = models.BooleanField(_("solution for the blind"), default=False)
    needs_sign_language = models.BooleanField(_("sign language"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set when retention or an erasure request removed the personal data
    # (privacy.anonymise); the row stays so its enquiries keep their link.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = CitizenQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # An e-mail's sender is matched to a citizen case-insensitively
            # (mailroom): without it every inbound e-mail read every citizen
            # (250 ms at 1M enquiries, 1.9 s at 10M).
            models.Index(Upper("email"), name="citizen_email_upper"),
        ]
        permissions = [("reveal_cpr", _("Can reveal a citizen's full CPR number"))]
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_digits = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    def set_cpr(self, value: str) -> None:
        """Validate and store a CPR number (encrypted, digest, masked)."""
        if not value:
            self.cpr_ciphertext, self.cpr_digest, self.cpr_masked = "", None, ""
            return
        digits = cpr.normalize_cpr(value)
        self.cpr_ciphertext = cpr.encrypt_cpr(digits)
        self.cpr_digest = cpr.cpr_digest(digits)
        self.cpr_masked = cpr.mask_cpr(digits)

    def reveal_cpr(self) -> str:
        """The full CPR number; call only through services.reveal_cpr."""
        return cpr.format_cpr(cpr.decrypt_cpr(self.cpr_ciphertext))

    @property
    def needs(self) -> list[str]:
        labels = []
        for field in ("needs_large_print", "needs_blind_solution", "needs_sign_language"):
            if getattr(self, field):
                labels.append(str(field_label(self, field)))
        return labels


def normalize_phone(phone: str) -> str:
    """Digits only, without the Danish +45/0045 prefix, for look-up."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) == 10 and digits.startswith("45"):
        digits = digits[2:]
    elif len(digits) == 12 and digits.startswith("0045"):
        digits = digits[4:]
    return digits


class CprReveal(models.Model):
    """An audit record: who saw a citizen's full CPR number, or found or
    registered a citizen outside their team's enquiries, when and why.

    A look-up or registration lets its author see the citizen for
    LOOKUP_GRANT (CitizenQuerySet.visible_to), long enough to log the call.
    """

    class Kind(models.TextChoices):
        REVEAL = "reveal", _("CPR number revealed")
        LOOKUP = "lookup", _("Found across teams")
        REGISTRATION = "registration", _("Registered")

    # How long a look-up or a registration shows its citizen to its author.
    LOOKUP_GRANT = datetime.timedelta(hours=8)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REVEAL)
    citizen = models.ForeignKey(
        Citizen, verbose_name=_("citizen"), on_delete=models.CASCADE, related_name="cpr_reveals"
    )
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revealed by"), on_delete=models.PROTECT
    )
    revealed_at = models.DateTimeField(_("revealed at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=200, validators=[cpr.reject_cpr_in_text])

    class Meta:
        ordering = ["-revealed_at"]
        verbose_name = _("CPR reveal")
        verbose_name_plural = _("CPR reveals")

    def __str__(self) -> str:
        return f"{self.citizen} ({self.revealed_at:%Y-%m-%d %H:%M})"


class EnquiryQuerySet(models.QuerySet["Enquiry"]):
    def visible_to(self, user: Viewer) -> EnquiryQuerySet:
        """Enquiries the user may see: all for oversight roles, else those of
        the queues of the teams in their scope (own team and led teams), and
        those they hold."""
        if not user.is_authenticated or not user.has_perm("enquiries.view_enquiry"):
            return self.none()
        if user.has_role(*ALL_QUEUE_ROLES):
            return self
        return self.filter(Q(assignee_id=user.pk) | Q(queue__team_id__in=user.scope_team_ids()))

    def open(self) -> EnquiryQuerySet:
        return self.exclude(status__in=Enquiry.CLOSED_STATUSES)

    def overdue(self, now: datetime.datetime | None = None) -> EnquiryQuerySet:
        """Open enquiries past an unmet deadline.

        While the clock is paused (waiting for the citizen) the deadlines are
        compared with the moment it paused, not with `now`.
        """
        return self.due_before(now or timezone.now())

    def due_before(self, instant: datetime.datetime) -> EnquiryQuerySet:
        """Open enquiries with an unmet deadline before `instant`."""
        clock = Coalesce("sla_paused_at", Value(instant, output_field=models.DateTimeField()))
        return (
            self.open()
            .alias(sla_clock=clock)
            .filter(
                Q(resolution_due_at__lt=F("sla_clock"))
                | Q(first_response_due_at__lt=F("sla_clock"), first_responded_at__isnull=True)
            )
        )

    def with_next_due(self) -> EnquiryQuerySet:
        """Annotate `next_due_at`: the earliest deadline not yet met."""
        first_response_pending = Q(
            first_responded_at__isnull=True, first_response_due_at__isnull=False
        )
        return self.annotate(
            next_due_at=Case(
                When(
                    first_response_pending
                    & (
                        Q(resolution_due_at__isnull=True)
                        | Q(first_response_due_at__lt=F("resolution_due_at"))
                    ),
                    then=F("first_response_due_at"),
                ),
                default=F("resolution_due_at"),
                output_field=models.DateTimeField(),
            )
        )

    def search(self, text: str) -> EnquiryQuerySet:
        """Free text: a reference, or words in the subject and description.

        PostgreSQL uses full-text search with the Danish configuration on
        the stored `search_document` (GIN index `enquiry_search_document`);
        SQLite falls back to substring matching.
        """
        text = text.strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            return self.filter(
                Q(reference=text.upper())
                | Q(search_document=SearchQuery(text, config="danish", search_type="websearch"))
            )
        return self.filter(
            Q(reference=text.upper()) | Q(subject__icontains=text) | Q(description__icontains=text)
        )

    def for_list(self) -> EnquiryQuerySet:
        """What a list row shows, in a fixed number of queries."""
        return self.select_related(*LIST_RELATIONS)

    def page_rows(self, ids: list[int]) -> list[Enquiry]:
        """The rows of `ids` in that order, with what a list row shows.

        Lists find a page by id first and read its rows here: PostgreSQL
        spends tens of milliseconds planning the seven-table join of
        for_list() on a filtered, sorted query, and a few on 25 ids.
        """
        found = {row.pk: row for row in self.filter(pk__in=ids).for_list()}
        return [found[pk] for pk in ids if pk in found]


# The relations every list row shows (EnquiryQuerySet.for_list).
LIST_RELATIONS = ("queue", "category__topic", "topic", "assignee", "citizen", "team")


class SearchDocument(SearchVector):
    """The words of an enquiry's subject and description (Danish), stored.

    PostgreSQL keeps them in a generated column with a GIN index, so a
    search compares stored words instead of parsing every row's text on
    the way (16 µs a row: a search's count read 7,000 rows in 110 ms at
    1M). SQLite has no text search: it stores nothing and searches the
    columns by substring (EnquiryQuerySet.search).
    """

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        return "NULL", []


class Enquiry(Authored, Versioned):
    """One contact from a citizen (or a press item), from intake to closing.

    Change status only through services.transition_enquiry: it enforces the
    workflow and writes the timeline.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for citizen")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    class Language(models.TextChoices):
        DA = "da", _("Danish")
        EN = "en", _("English")
        OTHER = "other", _("Other")

    CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)

    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="enquiries"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    citizen = models.ForeignKey(
        Citizen,
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    # Free text is stored plainly: a CPR number belongs on the citizen.
    subject = models.CharField(_("subject"), max_length=200, validators=[cpr.reject_cpr_in_text])
    description = models.TextField(
        _("description"), blank=True, max_length=20000, validators=[cpr.reject_cpr_in_text]
    )
    search_document = models.GeneratedField(
        expression=SearchDocument("subject", "description", config="danish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    # The category's topic, kept here so topic filters and shares need no join.
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_enquiries",
        editable=False,
    )
    additional_topics = models.ManyToManyField(
        Topic,
        verbose_name=_("further topics"),
        blank=True,
        related_name="mentioned_in",
        help_text=_("Other topics the enquiry raises; each counts as a mention."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_enquiries",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.DA
    )
    resolution = models.TextField(
        _("resolution"), blank=True, max_length=20000, validators=[cpr.reject_cpr_in_text]
    )
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("deadline clock paused"), null=True, blank=True)
    # The deadline clock (enquiries/deadlines.py): the resolution deadline is
    # the policy's business time after the cycle start (reception, or the
    # last reopening) plus the business time spent paused in this cycle.
    sla_started_at = models.DateTimeField(
        _("deadline clock started"), null=True, blank=True, editable=False
    )
    sla_paused_time = models.DurationField(
        _("deadline clock paused for"), default=datetime.timedelta, editable=False
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)
    next_escalation_at = models.DateTimeField(
        _("next escalation due"), null=True, blank=True, editable=False
    )
    # Set when retention or an erasure request replaced the free text
    # (privacy.anonymise); the statistics' fields stay as they were.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="enquiry_received"),
            # The list's other sorts, each ending on the id (filtersets).
            models.Index(fields=["priority", "id"], name="enquiry_priority"),
            models.Index(fields=["resolution_due_at", "id"], name="enquiry_due"),
            models.Index(fields=["status", "id"], name="enquiry_status"),
            models.Index(fields=["queue", "status"], name="enquiry_queue_status"),
            models.Index(fields=["assignee", "status"], name="enquiry_assignee_status"),
            models.Index(fields=["topic", "received_at"], name="enquiry_topic_received"),
            models.Index(fields=["category", "received_at"], name="enquiry_cat_received"),
            models.Index(fields=["status", "resolution_due_at"], name="enquiry_status_due"),
            # The escalation sweep and the breaches page look only at open
            # enquiries' unmet deadlines.
            models.Index(
                fields=["resolution_due_at"],
                condition=~Q(status__in=["resolved", "closed"]),
                name="enquiry_open_resolution_due",
            ),
            models.Index(
                fields=["first_response_due_at"],
                condition=~Q(status__in=["resolved", "closed"])
                & Q(first_responded_at__isnull=True),
                name="enquiry_open_response_due",
            ),
            # The dashboard counts the open ones of a period live (age, overdue).
            models.Index(
                fields=["received_at"],
                condition=~Q(status__in=["resolved", "closed"]),
                name="enquiry_open_received",
            ),
            # The retention sweep looks only at closed enquiries it has not
            # anonymised yet (privacy.services).
            models.Index(
                fields=["received_at"],
                condition=Q(status__in=["resolved", "closed"], anonymised_at__isnull=True),
                name="enquiry_retention_due",
            ),
        ]
        permissions = [
            ("bulk_triage_enquiry", _("Can triage many enquiries at once")),
        ]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.topic_id = self.category.topic_id if self.category is not None else None
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        if not self.is_open:
            return False
        now = self.sla_paused_at or now or timezone.now()
        if self.resolution_due_at and self.resolution_due_at < now:
            return True
        return bool(
            self.first_response_due_at
            and not self.first_responded_at
            and self.first_response_due_at < now
        )

    @property
    def next_due(self) -> tuple[str, datetime.datetime] | None:
        """("first_response" or "resolution", when) of the earliest unmet deadline."""
        pending = []
        if self.first_response_due_at and not self.first_responded_at:
            pending.append((self.first_response_due_at, "first_response"))
        if self.resolution_due_at:
            pending.append((self.resolution_due_at, "resolution"))
        if not pending:
            return None
        when, which = min(pending)
        return which, when


class EnquiryEvent(TimelineEvent):
    """One line on an enquiry's timeline: who changed what, and when.

    `old_value`/`new_value` hold codes (status, priority, ids); the labels
    hold what a reader saw at the time (a name, a category), so history
    survives renames.
    """

    subject_field = "enquiry"

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assignment changed")
        CATEGORY = "category", _("Category changed")
        TOPICS = "topics", _("Further topics changed")
        PRIORITY = "priority", _("Priority changed")
        QUEUE = "queue", _("Queue changed")
        CITIZEN = "citizen", _("Citizen changed")
        NOTE = "note", _("Note")
        ESCALATED = "escalated", _("Escalated")
        DEADLINE = "deadline", _("Deadlines changed")
        REPLY = "reply", _("Reply to the citizen")

    enquiry = models.ForeignKey(
        Enquiry, verbose_name=_("enquiry"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The base's actor, with the help text this timeline has always shown.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system made the change."),
    )
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)
    old_label = models.CharField(max_length=300, blank=True)
    new_label = models.CharField(max_length=300, blank=True)
    batch = models.UUIDField(
        _("bulk change"),
        null=True,
        blank=True,
        help_text=_("Shared by every event of one bulk change."),
    )

    class Meta(TimelineEvent.Meta):
        indexes = [
            models.Index(fields=["enquiry", "created_at"], name="event_enquiry_at"),
            # Escalations are counted per day of enquiries (analytics.summaries).
            models.Index(fields=["enquiry"], condition=Q(kind="escalated"), name="event_escalated"),
            # Anonymising a citizen clears their name from the few "citizen
            # changed" lines of other enquiries (privacy.anonymise).
            models.Index(
                fields=["old_value", "new_value"],
                condition=Q(kind="citizen"),
                name="event_citizen_change",
            ),
        ]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def _display(self, value: str, label: str) -> str:
        if self.kind == self.Kind.STATUS and value:
            return str(Enquiry.Status(value).label)
        if self.kind == self.Kind.PRIORITY and value:
            return str(Enquiry.Priority(int(value)).label)
        return label or value

    @property
    def old_display(self) -> str:
        return self._display(self.old_value, self.old_label)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value, self.new_label)


class SavedFilter(models.Model):
    """A named enquiry-list query, kept as a link; shared ones show to all."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    name = models.CharField(_("name"), max_length=100, validators=[cpr.reject_cpr_in_text])
    query_string = models.CharField(_("filter"), max_length=2000)
    is_shared = models.BooleanField(_("shared with everyone"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedfilter_unique_name")
        ]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """A named counter for databases without sequences (SQLite).

    On PostgreSQL references come from the sequence `enquiry_reference_seq`.
    """

    name = models.CharField(max_length=50, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SlaPolicyQuerySet(models.QuerySet["SlaPolicy"]):
    def for_enquiry(self, enquiry: Enquiry) -> SlaPolicy | None:
        """The policy that governs `enquiry`: its category's, else its queue's."""
        return (
            self.filter(queue_id=enquiry.queue_id, priority=enquiry.priority)
            .filter(Q(category__isnull=True) | Q(category_id=enquiry.category_id))
            .order_by(F("category_id").asc(nulls_last=True))
            .first()
        )


class SlaPolicy(models.Model):
    """Deadlines for a queue's enquiries of one priority, in business minutes.

    A policy for a category wins over the queue's policy without one. No
    matching policy means no deadlines.
    """

    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.CASCADE, related_name="sla_policies"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Enquiry.Priority.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_policies",
        help_text=_("Leave empty for the whole queue; a category's policy wins."),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (business minutes)")
    )
    resolution_minutes = models.PositiveIntegerField(_("resolution within (business minutes)"))
    manager_delay_minutes = models.PositiveIntegerField(
        _("escalate to the manager after (business minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "Business time between notifying the team lead and notifying the queue's "
            "manager. Empty: the system default."
        ),
    )

    objects = SlaPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["queue__position", "-priority", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "priority"],
                condition=Q(category__isnull=True),
                name="slapolicy_one_per_queue_priority",
            ),
            models.UniqueConstraint(
                fields=["queue", "priority", "category"],
                condition=Q(category__isnull=False),
                name="slapolicy_one_per_category_priority",
            ),
        ]
        permissions = [("view_breaches", _("Can see deadline breaches by team"))]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        scope = self.category.name if self.category is not None else self.queue.name
        return f"{scope} · {self.get_priority_display()}"

    def clean(self) -> None:
        if (
            self.queue_id
            and self.category is not None
            and self.category.topic.queue_id != self.queue_id
        ):
            raise ValidationError({"category": [_("The category belongs to another queue.")]})
        if (self.first_response_minutes or 0) > (self.resolution_minutes or 0) > 0:
            raise ValidationError(
                {
                    "first_response_minutes": [
                        _("The first response cannot be due after the resolution.")
                    ]
                }
            )


class NotificationQuerySet(models.QuerySet["Notification"]):
    def bulk_create(
        self, objs: Iterable[Notification], *args: Any, **kwargs: Any
    ) -> list[Notification]:
        """As QuerySet.bulk_create, with any CPR number masked (no pre_save here)."""
        objs = list(objs)
        for notification in objs:
            notification.subject = cpr.redact_cpr(notification.subject)
            notification.body = cpr.redact_cpr(notification.body)
        return super().bulk_create(objs, *args, **kwargs)

    def pending(self, now: datetime.datetime) -> NotificationQuerySet:
        """Unsent e-mails nobody is sending (or whose sender died)."""
        stale = now - Notification.CLAIM_TIMEOUT
        return self.filter(sent_at__isnull=True, attempts__lt=Notification.MAX_ATTEMPTS).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
        )


class Notification(models.Model):
    """An e-mail written in the transaction that caused it (an outbox).

    A delivery task sends it after commit; `key` names the cause, so the
    same escalation can never produce the message twice.
    """

    # A claim older than this is taken to be a dead sender's; sent again.
    CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
    MAX_ATTEMPTS = 5

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), max_length=20000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sent_at", "claimed_at"], name="notification_pending")]
        verbose_name = _("e-mail notification")
        verbose_name_plural = _("e-mail notifications")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class AssignmentTurn(models.Model):
    """When an agent last received an enquiry automatically.

    Breaks ties between agents with equally few open enquiries: the one
    served longest ago goes first (round robin). See enquiries/assignment.py.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="assignment_turn",
    )
    last_assigned_at = models.DateTimeField(_("last assigned automatically"))

    class Meta:
        verbose_name = _("assignment turn")
        verbose_name_plural = _("assignment turns")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_assigned_at}"
