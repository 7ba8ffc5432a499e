"""The dashboard's figures, each one aggregate query (GROUP BY in SQL).

Topic counts come from the `analytics.TopicShare` day snapshots and the
other enquiry figures from the day summaries and duration histograms
(analytics.summaries), so they cost the same however many enquiries there
are; only the open enquiries (backlog, ages, overdue) are counted live,
through a partial index. Python only reshapes the few aggregated rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DateTimeField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from actions.models import Action, Kpi, KpiReading, Theme
from analytics import summaries
from analytics.models import (
    Basis,
    DurationCount,
    EnquiryDay,
    Granularity,
    Level,
    PatternAlert,
    TopicShare,
)
from analytics.periods import (
    REPORTING_TZ,
    as_local_date,
    bucket_start,
    day_start,
    moment_window,
)
from dashboards.scope import Scope
from enquiries.models import Enquiry, Queue, Topic
from feedback.models import EnquiryRating, SurveyResult
from nemid_cases.conditional import change_aggregates, table_marks
from notices.models import Incident, IncidentLink
from problems.models import KnownProblem, KnownProblemLink
from stakeholders.models import Organisation


@dataclass(frozen=True)
class AgeBucket:
    key: str
    label: str
    youngest: int
    oldest: int | None

    def days(self, today: datetime.date) -> tuple[datetime.date, datetime.date | None]:
        """(first, last) received day of the bucket; first is None when open-ended."""
        last = today - datetime.timedelta(days=self.youngest)
        first = None if self.oldest is None else today - datetime.timedelta(days=self.oldest)
        return first, last


# Age of an open enquiry in whole Copenhagen days since it was received.
AGE_BUCKETS = [
    AgeBucket("0", _("Received today"), 0, 0),
    AgeBucket("1-2", _("1–2 days"), 1, 2),
    AgeBucket("3-6", _("3–6 days"), 3, 6),
    AgeBucket("7-13", _("1–2 weeks"), 7, 13),
    AgeBucket("14-29", _("2–4 weeks"), 14, 29),
    AgeBucket("30", _("30 days or more"), 30, None),
]

CLOSED = Enquiry.CLOSED_STATUSES
IS_OPEN = ~Q(status__in=CLOSED)


def _overdue(now: datetime.datetime) -> Q:
    """EnquiryQuerySet.due_before's rule, as a condition for Count(filter=)."""
    clock = Coalesce("sla_paused_at", Value(now, output_field=DateTimeField()))
    return IS_OPEN & (
        Q(resolution_due_at__lt=clock)
        | Q(first_response_due_at__lt=clock, first_responded_at__isnull=True)
    )


def _age(bucket: AgeBucket, today: datetime.date) -> Q:
    first, last = bucket.days(today)
    condition = Q(received_at__lt=day_start(last + datetime.timedelta(days=1)))
    if first is not None:
        condition &= Q(received_at__gte=day_start(first))
    return condition


SUMMARY_KEYS = ("received", "resolved", "resolved_with_deadline", "resolved_on_time")
LIVE_KEYS = ("open", "overdue", *(f"age_{bucket.key}" for bucket in AGE_BUCKETS))
COUNT_KEYS = (*SUMMARY_KEYS, *LIVE_KEYS)


def enquiry_buckets(scope: Scope) -> list[dict]:
    """Per day, week or month of reception: every enquiry count.

    Received, resolved and the deadlines met come from the day summaries
    (analytics.summaries); open, overdue and the ages of the open ones are
    counted live, as of now, through the partial index on open enquiries,
    so the cost follows the backlog, not the history. The headline figures
    are the sums of these rows.
    """
    today = scope.today
    rows: dict[datetime.date, dict] = {}

    def row(day: datetime.date) -> dict:
        start = bucket_start(scope.interval, day)
        return rows.setdefault(start, {"bucket": start, **dict.fromkeys(COUNT_KEYS, 0)})

    for day in summaries.day_rows(scope.queue_ids, scope.start, scope.end):
        found = row(day["day"])
        for key in SUMMARY_KEYS:
            found[key] += day[key]
    open_days = (
        scope.cohort()
        .open()
        .annotate(day=TruncDate("received_at", tzinfo=REPORTING_TZ))
        .values("day")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=_overdue(scope.now)),
            **{
                f"age_{bucket.key}": Count("id", filter=_age(bucket, today))
                for bucket in AGE_BUCKETS
            },
        )
        .order_by()
    )
    for day in open_days:
        found = row(as_local_date(day["day"]))
        for key in LIVE_KEYS:
            found[key] += day[key]
    return [rows[start] for start in sorted(rows)]


def enquiry_counts(scope: Scope, buckets: list[dict] | None = None) -> dict[str, int]:
    """The counts of the whole period: the sums of `enquiry_buckets`."""
    if buckets is None:
        buckets = enquiry_buckets(scope)
    return {key: sum(row[key] for row in buckets) for key in COUNT_KEYS}


def response_medians(scope: Scope) -> dict[str, datetime.timedelta | None]:
    """Median time from reception to first response and to resolution.

    From the day and month histograms of analytics.summaries: exact to the
    minute below two hours, within 2 % above.
    """
    return summaries.median_durations(scope.queue_ids, scope.start, scope.end)


def escalations(scope: Scope) -> dict[int, int]:
    """{level: enquiries escalated to it} of the enquiries received in the period.

    Counted from the timeline (by the day summaries), so an enquiry reopened
    (its level reset) still counts; each enquiry counts once per level, as the
    enquiry list's `escalated` filter selects them, so the figure links to its rows.
    """
    return summaries.escalations(scope.queue_ids, scope.start, scope.end)


def _day_snapshots(scope: Scope, basis: str) -> QuerySet:
    return TopicShare.objects.filter(
        queue_id__in=scope.queue_ids,
        granularity=Granularity.DAY,
        basis=basis,
        level=Level.TOPIC,
        period_start__gte=scope.start,
        period_start__lte=scope.end,
    )


def topic_totals(scope: Scope) -> list[dict]:
    """[{topic_id, queue_id, n}] summed over the period's day snapshots."""
    return list(
        _day_snapshots(scope, scope.basis)
        .values("topic_id", "queue_id")
        .annotate(n=Sum("count"))
        .order_by()
    )


def volume_series(scope: Scope) -> list[dict]:
    """[{bucket, topic_id, n}]: enquiries per day, week or month and topic."""
    rows = _day_snapshots(scope, Basis.ENQUIRY)
    if scope.interval == Granularity.DAY:
        rows = rows.annotate(bucket=F("period_start"))
    else:
        trunc = TruncWeek if scope.interval == Granularity.WEEK else TruncMonth
        rows = rows.annotate(bucket=trunc("period_start"))
    found = rows.values("bucket", "topic_id").annotate(n=Sum("count")).order_by("bucket")
    return [{**row, "bucket": as_local_date(row["bucket"])} for row in found]


def open_alert_count(scope: Scope, user) -> int:
    return PatternAlert.objects.visible_to(user).open().filter(queue_id__in=scope.queue_ids).count()


def _visible_actions(user) -> QuerySet:
    # By id, so the join behind a team's scope cannot count an action twice.
    return Action.objects.filter(pk__in=Action.objects.visible_to(user).values("pk"))


def actions_by_theme(user, today: datetime.date) -> list[dict]:
    """Per theme: the count in each status, overdue ones, and all."""
    overdue = ~Q(status__in=Action.FINISHED_STATUSES) & Q(due_end__lt=today)
    return list(
        _visible_actions(user)
        .values("theme_id", "theme__code", "theme__name_da", "theme__name_en")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=overdue),
            **{status: Count("id", filter=Q(status=status)) for status in Action.Status.values},
        )
        .order_by("theme__position", "theme__name_da", "theme_id")
    )


def overdue_actions(user, today: datetime.date, *, limit: int = 10) -> list[Action]:
    return list(
        _visible_actions(user).for_list().overdue(today).order_by("due_end", "title", "id")[:limit]
    )


def kpis(user) -> list[Kpi]:
    """Every KPI of a visible action with its latest reading (one query)."""
    latest = KpiReading.objects.filter(kpi=OuterRef("pk")).order_by("-measured_on", "-id")
    return list(
        Kpi.objects.filter(action__in=Action.objects.visible_to(user).values("pk"))
        .select_related("action")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
        .order_by("action__title", "position", "id")
    )


def kpi_progress(kpi: Kpi) -> Decimal | None:
    """How far the latest reading has come from baseline to target, in %."""
    if kpi.target is None or kpi.latest_value is None or kpi.target == kpi.baseline:
        return None
    share = (kpi.latest_value - kpi.baseline) * 100 / (kpi.target - kpi.baseline)
    return share.quantize(Decimal("0.1"))


def surveys(*, limit: int = 10) -> list[SurveyResult]:
    """The latest survey results, oldest first."""
    latest = SurveyResult.objects.select_related("conducted_by").order_by("-published_on", "-id")
    return list(reversed(latest[:limit]))


def ratings_by_month(scope: Scope) -> list[dict]:
    """[{month, n, total}] of the ratings recorded in the period."""
    rows = (
        EnquiryRating.objects.filter(
            moment_window("recorded_at", [(scope.start, scope.end)]),
            enquiry__queue_id__in=scope.queue_ids,
        )
        .annotate(month=TruncMonth("recorded_at", tzinfo=REPORTING_TZ))
        .values("month")
        .annotate(n=Count("id"), total=Sum("score"))
        .order_by("month")
    )
    return [{**row, "month": as_local_date(row["month"])} for row in rows]


def freshness(scope: Scope, user, panels: dict[str, bool]) -> list:
    """What the dashboard's validator reads: one aggregate per source.

    The summaries' version (their rows' count, ids and `computed_at` in the
    scope's queues), the live backlog's rows and its next deadline (an
    overdue figure changes when it passes), and each panel's tables, with
    the tables of the names they show. A change anywhere in a source moves
    its aggregate (nemid_cases.conditional). The figures' cache
    (dashboards.cache) keys on these too: a source left out here is a
    change the dashboard would not show.
    """
    queues = scope.queue_ids
    sources: list[QuerySet] = [
        EnquiryDay.objects.filter(queue_id__in=queues),
        DurationCount.objects.filter(queue_id__in=queues),
        TopicShare.objects.filter(queue_id__in=queues),
        Topic.objects.filter(queue_id__in=queues),
        Queue.objects.filter(pk__in=queues),
        User.objects.all(),
    ]
    if panels["actions"]:
        sources += [
            Action.objects.all(),
            Kpi.objects.all(),
            KpiReading.objects.all(),
            Theme.objects.all(),
        ]
    if panels["actions"] or panels["surveys"]:
        # Shown by name: actions' owners, the organisations behind surveys.
        sources.append(Organisation.objects.all())
    if panels["alerts"]:
        sources.append(PatternAlert.objects.filter(queue_id__in=queues))
    if panels["surveys"]:
        sources.append(SurveyResult.objects.all())
    if panels["ratings"]:
        sources.append(EnquiryRating.objects.all())
    if panels["incidents"]:
        sources += [Incident.objects.all(), IncidentLink.objects.all()]
    if panels["problems"]:
        sources += [KnownProblem.objects.all(), KnownProblemLink.objects.all()]
    backlog = scope.cohort().open()
    sources.append(backlog)
    now = scope.now
    next_deadline = {
        "resolution": Min("resolution_due_at", filter=Q(resolution_due_at__gte=now)),
        "first_response": Min(
            "first_response_due_at",
            filter=Q(first_response_due_at__gte=now, first_responded_at__isnull=True),
        ),
    }
    return table_marks(
        [(source, change_aggregates(source)) for source in sources] + [(backlog, next_deadline)]
    )
