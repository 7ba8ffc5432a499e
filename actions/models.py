from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from accounts.roles import ALL_QUEUE_ROLES, Role
from enquiries.models import Category, Topic, TranslatedName
from nemid_cases.models import Authored, TimelineEvent
from nemid_cases.versioning import Versioned
from stakeholders.models import Recommendation


class Theme(TranslatedName):
    """What an action is about: support, communication, log-out...; admin adds more."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name_da"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


# The secretariat's follow-up horizon: overdue, and due within this many days.
FOLLOW_UP_DAYS = 14


class ActionQuerySet(models.QuerySet["Action"]):
    def visible_to(self, user: Viewer) -> ActionQuerySet:
        """All for oversight roles; for support staff, actions on their queues' topics.

        An action concerns a topic through its origin topics, the topics of
        its origin categories, or the topics of its origin recommendations.
        """
        if not user.is_authenticated:
            return self.none()
        if user.has_role(*ALL_QUEUE_ROLES):
            return self
        if user.has_role(Role.AGENT, Role.TEAM_LEAD):
            teams = user.scope_team_ids()
            return self.filter(
                Q(origin_topics__queue__team_id__in=teams)
                | Q(origin_categories__topic__queue__team_id__in=teams)
                | Q(origin_recommendations__topics__queue__team_id__in=teams)
            ).distinct()
        return self.none()

    def open(self) -> ActionQuerySet:
        return self.exclude(status__in=Action.FINISHED_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> ActionQuerySet:
        """Open actions whose due range has ended before `today`."""
        today = today or timezone.localdate()
        return self.open().filter(due_end__lt=today)

    def due_for_follow_up(self, today: datetime.date | None = None) -> ActionQuerySet:
        """Open actions overdue, due within FOLLOW_UP_DAYS, or due as soon as possible."""
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=FOLLOW_UP_DAYS)
        return self.open().filter(
            Q(due_end__lte=horizon) | Q(due_precision=Action.DuePrecision.ASAP)
        )

    def for_list(self) -> ActionQuerySet:
        """What a list row shows, in a fixed number of queries."""
        return self.select_related("theme", "owner", "responsible", "follows_up")

    def for_detail(self) -> ActionQuerySet:
        """The action with its timeline, updates, KPIs and origins."""
        return self.for_list().prefetch_related(
            models.Prefetch("updates", ActionUpdate.objects.select_related("author")),
            models.Prefetch("events", ActionEvent.objects.select_related("actor")),
            models.Prefetch("kpis", Kpi.objects.prefetch_related("readings")),
            models.Prefetch(
                "origin_recommendations",
                Recommendation.objects.select_related("organisation", "meeting"),
            ),
            "origin_meetings",
            models.Prefetch("origin_topics", Topic.objects.select_related("queue")),
            models.Prefetch("origin_categories", Category.objects.select_related("topic")),
        )


class Action(Authored, Versioned):
    """Something an organisation has to do, with a due range and its origins.

    The due date is entered as the report writes it ("medio januar 2011")
    and stored as a range [due_start, due_end] with a precision; overdue
    means past `due_end`. Marking an action insufficient requires a
    follow-up action whose `follows_up` points back to it.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        INSUFFICIENT = "insufficient", _("Found insufficient")
        CANCELLED = "cancelled", _("Cancelled")

    class DuePrecision(models.TextChoices):
        NONE = "none", _("No date")
        DAY = "day", _("Exact date")
        PART_OF_MONTH = "part_of_month", _("Part of a month")
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        SEASON = "season", _("Season")
        HALF_YEAR = "half_year", _("Half year")
        PART_OF_YEAR = "part_of_year", _("Part of a year")
        YEAR = "year", _("Year")
        ASAP = "asap", _("As soon as possible")

    FINISHED_STATUSES = (Status.DONE, Status.INSUFFICIENT, Status.CANCELLED)

    code = models.SlugField(_("code"), max_length=60, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(
        "stakeholders.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    responsible = models.ForeignKey(
        "stakeholders.Contact",
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    due_phrase = models.CharField(_("due"), max_length=100, blank=True)
    due_start = models.DateField(_("due from"), null=True, blank=True)
    due_end = models.DateField(_("due by"), null=True, blank=True)
    due_precision = models.CharField(
        _("due precision"),
        max_length=20,
        choices=DuePrecision.choices,
        default=DuePrecision.NONE,
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    follows_up = models.ForeignKey(
        "self",
        verbose_name=_("follows up on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text=_("The earlier action this one continues or replaces."),
    )
    origin_recommendations = models.ManyToManyField(
        "stakeholders.Recommendation",
        verbose_name=_("from recommendations"),
        blank=True,
        related_name="actions",
    )
    origin_meetings = models.ManyToManyField(
        "stakeholders.Meeting",
        verbose_name=_("from meetings"),
        blank=True,
        related_name="actions",
    )
    origin_topics = models.ManyToManyField(
        "enquiries.Topic",
        verbose_name=_("from enquiry topics"),
        blank=True,
        related_name="actions",
    )
    origin_categories = models.ManyToManyField(
        "enquiries.Category",
        verbose_name=_("from enquiry categories"),
        blank=True,
        related_name="actions",
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_end").asc(nulls_last=True), "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_start__isnull=True)
                | Q(due_end__isnull=True)
                | Q(due_start__lte=models.F("due_end")),
                name="action_due_range_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_end"], name="action_status_due"),
            models.Index(fields=["owner", "status"], name="action_owner_status"),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINISHED_STATUSES

    @property
    def is_due_asap(self) -> bool:
        return self.due_precision == self.DuePrecision.ASAP

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_end is not None and self.due_end < today

    @property
    def has_due_range(self) -> bool:
        return self.due_start is not None and self.due_end is not None

    @property
    def is_due_single_day(self) -> bool:
        return self.has_due_range and self.due_start == self.due_end


class ActionUpdate(models.Model):
    """A dated progress note on an action."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="updates"
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("update"), max_length=20000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.action}: {self.written_on}"


class ActionEvent(TimelineEvent):
    """One line on an action's timeline: who changed what, and when."""

    subject_field = "action"

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS = "status", _("Status changed")
        DUE = "due", _("Due date changed")
        OWNER = "owner", _("Owner changed")
        RESPONSIBLE = "responsible", _("Responsible person changed")
        FIELD = "field", _("Details changed")
        ORIGIN = "origin", _("Origins changed")
        UPDATE = "update", _("Progress update")
        KPI = "kpi", _("KPI reading")
        KPI_ADDED = "kpi_added", _("KPI added")
        FOLLOW_UP = "follow_up", _("Follow-up action")
        ESCALATED = "escalated", _("Escalated")

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)

    class Meta(TimelineEvent.Meta):
        indexes = [models.Index(fields=["action", "created_at"], name="actionevent_action_at")]
        verbose_name = _("action event")
        verbose_name_plural = _("action events")

    def _display(self, value: str) -> str:
        if self.kind in (self.Kind.STATUS, self.Kind.CREATED) and value in Action.Status.values:
            return str(Action.Status(value).label)
        return value

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)


class Kpi(Versioned):
    """A measure of an action's effect, e.g. support staff from 60 to 270."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="kpis"
    )
    metric = models.CharField(_("metric"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["action", "position", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.metric

    @property
    def latest_reading(self) -> KpiReading | None:
        """The newest reading, from the prefetched readings when there are any."""
        readings = list(self.readings.all())
        return readings[-1] if readings else None


class KpiReading(models.Model):
    """A dated value of a KPI."""

    kpi = models.ForeignKey(
        Kpi, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="readings"
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["kpi", "measured_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "measured_on"], name="kpireading_one_per_day")
        ]
        verbose_name = _("KPI reading")
        verbose_name_plural = _("KPI readings")

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.measured_on})"
