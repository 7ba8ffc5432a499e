from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import Viewer
    from enquiries.models import Category, Topic


class Granularity(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("ISO week")
    MONTH = "month", _("Month")


class Basis(models.TextChoices):
    ENQUIRY = "enquiry", _("Per enquiry (primary topic)")
    MENTION = "mention", _("Per topic mention")


class Level(models.TextChoices):
    TOPIC = "topic", _("Topic")
    CATEGORY = "category", _("Category")


class DirtyDay(models.Model):
    """A (queue, day) whose snapshot is stale, marked in the enquiry's transaction.

    Insert-only, one row per change: concurrent changes never wait on a
    shared row, and a recompute deletes only the rows it read, so a change
    that lands while it runs keeps its mark.
    """

    queue = models.ForeignKey(
        "enquiries.Queue", verbose_name=_("queue"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        ordering = ["queue", "day"]
        indexes = [models.Index(fields=["queue", "day"], name="dirtyday_queue_day")]
        verbose_name = _("day to recompute")
        verbose_name_plural = _("days to recompute")

    def __str__(self) -> str:
        return f"{self.queue_id}:{self.day}"


class TopicShare(models.Model):
    """One count of a topic-share snapshot: a topic or category in a bucket.

    The rows of one (queue, granularity, period_start, basis, level) add up
    to `total`. On the enquiry basis a row without topic counts unclassified
    enquiries; at category level on the mention basis a row without category
    counts a topic's mentions as a further topic.
    """

    queue = models.ForeignKey(
        "enquiries.Queue", verbose_name=_("queue"), on_delete=models.CASCADE, related_name="+"
    )
    granularity = models.CharField(_("granularity"), max_length=5, choices=Granularity.choices)
    period_start = models.DateField(_("period start"))
    basis = models.CharField(_("basis"), max_length=7, choices=Basis.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    topic = models.ForeignKey(
        "enquiries.Topic",
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "enquiries.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("count"))
    total = models.PositiveIntegerField(_("total"))
    share = models.DecimalField(_("share (%)"), max_digits=4, decimal_places=1)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["queue", "granularity", "period_start", "basis", "level", "-count"]
        indexes = [
            models.Index(
                fields=["queue", "granularity", "basis", "level", "period_start"],
                name="topicshare_bucket",
            ),
        ]
        verbose_name = _("topic share")
        verbose_name_plural = _("topic shares")

    def __str__(self) -> str:
        return f"{self.period_start} {self.topic_id}/{self.category_id}: {self.count}"


class EnquiryDay(models.Model):
    """The enquiries one queue received on one Copenhagen day, counted.

    Kept with the topic shares (the same dirty days) so the dashboard sums a
    row per day instead of scanning enquiries; counts are as of
    `computed_at`. `escalations` maps a level ("1") to escalations to it.
    """

    queue = models.ForeignKey(
        "enquiries.Queue", verbose_name=_("queue"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    received = models.PositiveIntegerField(_("received"))
    resolved = models.PositiveIntegerField(_("resolved or closed"))
    resolved_with_deadline = models.PositiveIntegerField(_("resolved with a deadline"))
    resolved_on_time = models.PositiveIntegerField(_("resolved within the deadline"))
    escalations = models.JSONField(_("escalations by level"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["queue", "day"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "day"], name="enquiryday_queue_day")
        ]
        verbose_name = _("day of enquiries")
        verbose_name_plural = _("days of enquiries")

    def __str__(self) -> str:
        return f"{self.queue_id}:{self.day}: {self.received}"


class Measure(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("Time to first response")
    RESOLUTION = "resolution", _("Time to resolution")


class DurationCount(models.Model):
    """A histogram bar: enquiries of a day or month that took about this long.

    Buckets 0-119 are whole minutes; above two hours each bucket is 2 %
    wider than the one before. `seconds` sums the exact durations, so a
    bucket's mean is exact when its durations are equal. The dashboard's
    medians come from these rows (analytics.summaries).
    """

    queue = models.ForeignKey(
        "enquiries.Queue", verbose_name=_("queue"), on_delete=models.CASCADE, related_name="+"
    )
    granularity = models.CharField(_("granularity"), max_length=5, choices=Granularity.choices)
    period_start = models.DateField(_("period start"))
    measure = models.CharField(_("measure"), max_length=14, choices=Measure.choices)
    bucket = models.PositiveIntegerField(_("bucket"))
    count = models.PositiveIntegerField(_("count"))
    seconds = models.BigIntegerField(_("seconds in all"))

    class Meta:
        ordering = ["queue", "granularity", "period_start", "measure", "bucket"]
        indexes = [
            models.Index(
                fields=["queue", "granularity", "period_start"], name="durationcount_period"
            )
        ]
        verbose_name = _("duration count")
        verbose_name_plural = _("duration counts")

    def __str__(self) -> str:
        return f"{self.period_start} {self.measure} #{self.bucket}: {self.count}"


class PatternAlertQuerySet(models.QuerySet["PatternAlert"]):
    def visible_to(self, user: Viewer) -> PatternAlertQuerySet:
        if not user.is_authenticated or not user.has_perm("analytics.view_patternalert"):
            return self.none()
        return self

    def open(self) -> PatternAlertQuerySet:
        return self.filter(status=PatternAlert.Status.OPEN)

    def active(self) -> PatternAlertQuerySet:
        """Alerts whose spike has not subsided yet."""
        return self.filter(subsided_on__isnull=True)


class PatternAlert(models.Model):
    """A topic or category whose volume or share this ISO week left its baseline.

    One alert per spike: while `subsided_on` is empty the same topic raises
    no new alert (even if this one was dismissed); it subsides after a whole
    ISO week without the test firing. `evidence` holds the weekly series.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        ACTED = "acted", _("Turned into an action")

    class Kind(models.TextChoices):
        VOLUME = "volume", _("Volume")
        SHARE = "share", _("Share")

    queue = models.ForeignKey(
        "enquiries.Queue",
        verbose_name=_("queue"),
        on_delete=models.CASCADE,
        related_name="pattern_alerts",
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    topic = models.ForeignKey(
        "enquiries.Topic",
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="pattern_alerts",
    )
    category = models.ForeignKey(
        "enquiries.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pattern_alerts",
    )
    # "topic:<id>" or "category:<id>": what the one-active-spike rule is about.
    key = models.CharField(max_length=40, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    week_start = models.DateField(_("week"))
    observed = models.PositiveIntegerField(_("observed"))
    baseline = models.FloatField(_("baseline (mean)"))
    score = models.FloatField(_("score (z)"))
    p_value = models.FloatField(_("p-value"), null=True, blank=True)
    share = models.FloatField(_("share this week (%)"))
    baseline_share = models.FloatField(_("baseline share (%)"), null=True, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    raised_at = models.DateTimeField(_("raised"))
    last_detected_on = models.DateField(_("last detected"))
    subsided_on = models.DateField(_("subsided"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True, max_length=2000)
    action = models.ForeignKey(
        "actions.Action",
        verbose_name=_("action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pattern_alerts",
    )

    objects = PatternAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "key"],
                condition=Q(subsided_on__isnull=True),
                name="patternalert_one_active_spike",
            )
        ]
        indexes = [models.Index(fields=["status", "-raised_at"], name="patternalert_status")]
        verbose_name = _("pattern alert")
        verbose_name_plural = _("pattern alerts")

    def __str__(self) -> str:
        return f"{self.subject} ({self.week_label})"

    @property
    def week_label(self) -> str:
        return f"{self.week_start:%G-W%V}"

    @property
    def subject(self) -> Category | Topic | None:
        """The category or topic the alert is about."""
        return self.category if self.category_id else self.topic

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
