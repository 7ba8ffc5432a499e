"""The dashboard's figures, each one aggregate query (GROUP BY in SQL).

Topic counts come from the `analytics.TopicShare` day snapshots, so they
cost the same however many enquiries there are; the other enquiry figures
are conditional counts over the enquiries received in the period, which
the `(received_at, id)` index finds. Python only reshapes the few
aggregated rows that come back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils.translation import gettext_lazy as _

from actions.models import Action, Kpi, KpiReading
from analytics.models import Basis, Granularity, Level, PatternAlert, TopicShare
from analytics.periods import REPORTING_TZ, day_start, moment_window
from dashboards.medians import median_durations
from dashboards.scope import Scope
from enquiries.models import Enquiry, EnquiryEvent
from feedback.models import EnquiryRating, SurveyResult


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
RESOLVED_WITH_DEADLINE = Q(resolved_at__isnull=False, resolution_due_at__isnull=False)
RESOLVED_ON_TIME = RESOLVED_WITH_DEADLINE & Q(resolved_at__lte=F("resolution_due_at"))


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


COUNT_KEYS = (
    "received",
    "open",
    "resolved",
    "resolved_with_deadline",
    "resolved_on_time",
    "overdue",
    *(f"age_{bucket.key}" for bucket in AGE_BUCKETS),
)


def enquiry_buckets(scope: Scope) -> list[dict]:
    """Per day, week or month of reception: every enquiry count. One scan.

    Received, open, resolved, deadlines met and missed, overdue now, and the
    open ones by age; the headline figures are the sums of these rows, so
    the compliance chart and the headline cost one pass over the period.
    """
    trunc = {
        Granularity.DAY: TruncDate,
        Granularity.WEEK: TruncWeek,
        Granularity.MONTH: TruncMonth,
    }[scope.interval]
    today = scope.today
    rows = (
        scope.cohort()
        .annotate(bucket=trunc("received_at", tzinfo=REPORTING_TZ))
        .values("bucket")
        .annotate(
            received=Count("id"),
            open=Count("id", filter=IS_OPEN),
            resolved=Count("id", filter=Q(status__in=CLOSED)),
            resolved_with_deadline=Count("id", filter=RESOLVED_WITH_DEADLINE),
            resolved_on_time=Count("id", filter=RESOLVED_ON_TIME),
            overdue=Count("id", filter=_overdue(scope.now)),
            **{
                f"age_{bucket.key}": Count("id", filter=IS_OPEN & _age(bucket, today))
                for bucket in AGE_BUCKETS
            },
        )
        .order_by("bucket")
    )
    return [{**row, "bucket": _as_date(row["bucket"])} for row in rows]


def enquiry_counts(scope: Scope, buckets: list[dict] | None = None) -> dict[str, int]:
    """The counts of the whole period: the sums of `enquiry_buckets`."""
    if buckets is None:
        buckets = enquiry_buckets(scope)
    return {key: sum(row[key] for row in buckets) for key in COUNT_KEYS}


def response_medians(scope: Scope) -> dict[str, datetime.timedelta | None]:
    """Median time from reception to first response and to resolution."""
    return median_durations(
        scope.cohort(),
        {
            "first_response": (
                F("first_responded_at") - F("received_at"),
                Q(first_responded_at__isnull=False),
            ),
            "resolution": (F("resolved_at") - F("received_at"), Q(resolved_at__isnull=False)),
        },
    )


def escalations(scope: Scope) -> dict[int, int]:
    """{level: enquiries escalated to it} of the enquiries received in the period.

    Counted from the timeline, so an enquiry reopened (its level reset)
    still counts; each enquiry counts once per level, as the enquiry list's
    `escalated` filter selects them, so the figure links to its rows.
    """
    rows = (
        EnquiryEvent.objects.filter(
            kind=EnquiryEvent.Kind.ESCALATED, enquiry__in=scope.cohort().values("pk")
        )
        .values("new_value")
        .annotate(n=Count("enquiry", distinct=True))
        .order_by()
    )
    return {int(row["new_value"]): row["n"] for row in rows if row["new_value"].isdigit()}


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
    return [{**row, "bucket": _as_date(row["bucket"])} for row in found]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(REPORTING_TZ)
        return value.date()
    return value


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
    return [{**row, "month": _as_date(row["month"])} for row in rows]
