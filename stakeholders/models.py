from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from accounts.roles import ALL_QUEUE_ROLES, Role
from nemid_cases.models import Authored, TimelineEvent
from nemid_cases.versioning import Versioned

_M = TypeVar("_M", bound=models.Model)


class StakeholderQuerySet(models.QuerySet[_M]):
    """Secretariat, managers and administrators read all stakeholder records."""

    def visible_to(self, user: Viewer) -> Self:
        if not user.is_authenticated or not user.has_role(*ALL_QUEUE_ROLES):
            return self.none()
        return self


class Organisation(Versioned):
    """A party the taskforce deals with: an authority, DanID, a bank, DH...."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Authority")
        OPERATOR = "operator", _("Operator")
        INTEREST = "interest_organisation", _("Interest organisation")
        FINANCIAL = "financial_sector", _("Financial sector")
        SUPPLIER = "supplier", _("Supplier")
        MEDIA = "media", _("Media")
        SURVEY = "survey_institute", _("Survey institute")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    is_taskforce_member = models.BooleanField(_("taskforce member"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=20000)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:organisation-detail", args=[self.pk])


class Contact(Versioned):
    """A person at an organisation; may be linked to a staff user."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or unit"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.short_name or self.organisation.name})"

    def get_absolute_url(self) -> str:
        url = reverse("stakeholders:organisation-detail", args=[self.organisation_id])
        return f"{url}#contacts"


class WorkingGroup(Versioned):
    """A standing group of organisations, e.g. the DH working group."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=20000)
    members = models.ManyToManyField(
        Organisation, verbose_name=_("member organisations"), related_name="working_groups"
    )
    established_on = models.DateField(_("established"), null=True, blank=True)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:workinggroup-detail", args=[self.pk])


class Meeting(Authored, Versioned):
    """A meeting held by or for the taskforce, with who was there and what came of it.

    `held_on` may be empty where the report does not date the meeting.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), null=True, blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations present"), related_name="meetings"
    )
    attendees = models.ManyToManyField(
        Contact, verbose_name=_("people present"), blank=True, related_name="meetings"
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=20000)
    minutes = models.TextField(_("minutes"), blank=True, max_length=50000)
    outcome = models.TextField(_("outcome"), blank=True, max_length=20000)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = [models.F("held_on").desc(nulls_last=True), "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        if not self.held_on:
            return self.title
        return f"{self.title} ({date_format(self.held_on, 'SHORT_DATE_FORMAT')})"

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:meeting-detail", args=[self.pk])


def attachment_path(instance: MeetingAttachment, filename: str) -> str:
    # A random name: the stored path reveals nothing and cannot collide.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"meeting-attachments/{uuid.uuid4().hex}{suffix}"


class MeetingAttachment(models.Model):
    """A file attached to a meeting; served only through a permission check."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def visible_to(self, user: Viewer) -> RecommendationQuerySet:
        """All for oversight roles; for support staff, those on their queues' topics."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(*ALL_QUEUE_ROLES):
            return self
        if user.has_role(Role.AGENT, Role.TEAM_LEAD):
            # A subquery rather than a join, so that rows are not repeated
            # and annotations (action counts) are not multiplied.
            on_team_topics = Recommendation.objects.filter(
                topics__queue__team_id__in=user.scope_team_ids()
            ).values("pk")
            return self.filter(pk__in=on_team_topics)
        return self.none()

    def undecided(self) -> RecommendationQuerySet:
        return self.filter(status=Recommendation.Status.NEW)

    def with_action_progress(self) -> RecommendationQuerySet:
        """Annotate `action_count`, `done_action_count` and `open_action_count`.

        An action is open while its status is not finished. One found
        insufficient stays open until a follow-up action of it is done: the
        recommendation is not met by a fix that did not work.
        """
        # The action model through the relation actions declares (as Django's
        # string references do): stakeholders sits below actions and never
        # imports it.
        # django-stubs types get_field("actions") as the descriptor, not
        # the relation, which has the related model.
        Action = self.model._meta.get_field("actions").related_model  # type: ignore[attr-defined]

        done = Action.Status.DONE
        still_open = ~Q(actions__status__in=Action.FINISHED_STATUSES) | (
            Q(actions__status=Action.Status.INSUFFICIENT) & ~Q(actions__follow_ups__status=done)
        )
        return self.annotate(
            action_count=Count("actions", distinct=True),
            done_action_count=Count(
                "actions", filter=Q(actions__status=Action.Status.DONE), distinct=True
            ),
            open_action_count=Count("actions", filter=still_open, distinct=True),
        )

    def for_list(self) -> RecommendationQuerySet:
        """What a list row shows, in a fixed number of queries."""
        # GROUP BY drops Meta.ordering, so the order is explicit.
        return (
            self.select_related("organisation", "meeting")
            .prefetch_related("topics__queue")
            .with_action_progress()
            .order_by("organisation__name", "id")
        )


class Recommendation(Authored, Versioned):
    """Advice from an organisation, with the project's response and status."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        ALREADY_ADDRESSED = "already_addressed", _("Already addressed")
        IN_PROGRESS = "in_progress", _("In progress")
        DECLINED = "declined", _("Declined")

    code = models.SlugField(_("code"), max_length=60, unique=True, null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("made at meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        help_text=_("Empty when the recommendation came in writing."),
    )
    received_on = models.DateField(_("received"), null=True, blank=True)
    text = models.TextField(_("recommendation"), max_length=20000)
    response = models.TextField(_("the project's response"), blank=True, max_length=20000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    rationale = models.TextField(_("rationale"), blank=True, max_length=20000)
    topics = models.ManyToManyField(
        "enquiries.Topic",
        verbose_name=_("concerns topics"),
        blank=True,
        related_name="recommendations",
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:recommendation-detail", args=[self.pk])

    @property
    def topic_names(self) -> list[str]:
        """The topics' names without repeats (uses prefetched topics)."""
        return sorted({topic.name for topic in self.topics.all()})

    @property
    def is_undecided(self) -> bool:
        return self.status == self.Status.NEW

    @property
    def all_actions_done(self) -> bool | None:
        """True when it led to actions and none is open; None without actions.

        Needs the `with_action_progress()` annotations.
        """
        # Annotations of the queryset, which the model does not declare.
        counts = vars(self)
        if not counts["action_count"]:
            return None
        return bool(counts["open_action_count"] == 0)


class RecommendationEvent(TimelineEvent):
    """One line of a recommendation's history: who changed what, and when.

    Status changes keep the old and new status codes and the rationale
    given at the time, so the history survives later edits.
    """

    subject_field = "recommendation"

    class Kind(models.TextChoices):
        CREATED = "created", _("Recorded")
        STATUS = "status", _("Status changed")
        RESPONSE = "response", _("Response changed")
        FIELD = "field", _("Details changed")

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_status = models.CharField(
        _("old status"), max_length=20, choices=Recommendation.Status.choices, blank=True
    )
    new_status = models.CharField(
        _("new status"), max_length=20, choices=Recommendation.Status.choices, blank=True
    )

    class Meta(TimelineEvent.Meta):
        indexes = [
            models.Index(fields=["recommendation", "created_at"], name="recevent_rec_at"),
        ]
        verbose_name = _("recommendation event")
        verbose_name_plural = _("recommendation events")


class FollowUpQuerySet(StakeholderQuerySet["FollowUp"]):
    def open(self) -> FollowUpQuerySet:
        return self.filter(resolved_on__isnull=True)

    def for_list(self) -> FollowUpQuerySet:
        return self.select_related(
            "waiting_organisation",
            "waiting_user",
            "awaited_organisation",
            "awaited_contact",
            "meeting",
            "recommendation",
        )


class FollowUp(Versioned):
    """Something the project waits for from another party, since a date.

    E.g. "questions sent to Ældremobiliseringen, awaiting feedback". Open
    until `resolved_on` is set.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True, null=True, blank=True)
    subject = models.CharField(_("what is awaited"), max_length=300)
    waiting_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("who is waiting"),
        on_delete=models.PROTECT,
        related_name="follow_ups_waiting",
    )
    waiting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person waiting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    awaited_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("waiting on"),
        on_delete=models.PROTECT,
        related_name="follow_ups_awaited",
    )
    awaited_contact = models.ForeignKey(
        Contact,
        verbose_name=_("waiting on person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    since_on = models.DateField(_("waiting since"))
    expected_on = models.DateField(_("expected by"), null=True, blank=True)
    resolved_on = models.DateField(_("received"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    notes = models.TextField(_("notes"), blank=True, max_length=20000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        # Open ones first on every database (SQLite sorts NULL first,
        # PostgreSQL last), the longest waiting at the top.
        ordering = [models.F("resolved_on").asc(nulls_first=True), "since_on", "id"]
        indexes = [models.Index(fields=["resolved_on", "since_on"], name="followup_open_since")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:followup-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    def days_waiting(self, today: datetime.date | None = None) -> int:
        """Days from `since_on` to the answer, or to today while open."""
        end = self.resolved_on or today or timezone.localdate()
        return (end - self.since_on).days

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.expected_on is not None and self.expected_on < today
