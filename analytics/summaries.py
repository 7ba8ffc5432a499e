"""Day summaries of enquiries for the dashboard: counts and duration histograms.

The topic-share recompute (analytics.services) rewrites a dirty day's
`EnquiryDay` row and its `DurationCount` histogram, then rolls the days up
into months; this module holds its Python path (SQLite), analytics.setbased
the set-based one (PostgreSQL). The dashboard sums these rows, so its cost
depends on the length of the period, not on how many enquiries there are.
Medians come from the histograms: exact to the minute below two hours,
within 2 % above (the dashboard shows hours to one decimal).
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Q, Sum

from analytics import groupings
from analytics.groupings import DAY_COUNTS, MEASURES
from analytics.models import DurationCount, EnquiryDay, Granularity
from analytics.periods import DateRange, as_local_date, bucket_end, bucket_starts, date_window

EXACT_MINUTES = 120
GROWTH = 1.02
LOG_GROWTH = math.log(GROWTH)


def bucket_of(seconds: int) -> int:
    """The histogram bucket of a duration (see DurationCount)."""
    minute = max(seconds, 0) // 60
    if minute < EXACT_MINUTES:
        return minute
    return EXACT_MINUTES + int(math.log(minute / EXACT_MINUTES) / LOG_GROWTH)


DayCounts = dict[datetime.date, dict[str, int]]


def add_day_counts(totals: DayCounts, row: dict) -> None:
    """Add a grouped row's counts (see day_count_annotations) to its day."""
    day = totals.setdefault(as_local_date(row["day"]), dict.fromkeys(DAY_COUNTS, 0))
    for name in DAY_COUNTS:
        day[name] += row[name]


def write_enquiry_days(
    queue_id: int,
    ranges: list[DateRange],
    *,
    now: datetime.datetime,
    day_counts: DayCounts | None = None,
) -> None:
    """Replace the day rows and histograms of the ranges, then their months.

    `day_counts` are the days' counts when the caller has them already (the
    topic-share pass groups the same enquiries by day): one read less.
    """
    enquiries = groupings.cohort(queue_id, ranges)
    if day_counts is None:
        day_counts = {}
        by_day = enquiries.annotate(day=groupings.DAY).values("day")
        for row in by_day.annotate(**groupings.day_count_annotations()).order_by():
            add_day_counts(day_counts, row)
    escalations: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    for row in groupings.escalation_rows(enquiries):
        if row["new_value"].isdigit():
            escalations[as_local_date(row["day"])][row["new_value"]] = row["n"]
    EnquiryDay.objects.filter(date_window("day", ranges), queue_id=queue_id).delete()
    EnquiryDay.objects.bulk_create(
        [
            EnquiryDay(
                queue_id=queue_id,
                day=counted_day,
                **counts,
                escalations=escalations.get(counted_day, {}),
                computed_at=now,
            )
            for counted_day, counts in day_counts.items()
        ],
        batch_size=1000,
    )

    histogram: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for measure in MEASURES:
        for row in groupings.minute_rows(enquiries, measure):
            key = (as_local_date(row["day"]), measure, bucket_of(row["minute"] * 60))
            histogram[key][0] += row["n"]
            histogram[key][1] += max(row["total"], 0)
    DurationCount.objects.filter(
        date_window("period_start", ranges), queue_id=queue_id, granularity=Granularity.DAY
    ).delete()
    DurationCount.objects.bulk_create(
        [
            DurationCount(
                queue_id=queue_id,
                granularity=Granularity.DAY,
                period_start=start,
                measure=measure,
                bucket=bucket,
                count=n,
                seconds=total,
            )
            for (start, measure, bucket), (n, total) in histogram.items()
        ],
        batch_size=2000,
    )
    _roll_up_months(queue_id, ranges)


def _roll_up_months(queue_id: int, ranges: list[DateRange]) -> None:
    rolled_months = groupings.months(ranges)
    rolled = [
        DurationCount(
            queue_id=queue_id,
            granularity=Granularity.MONTH,
            period_start=as_local_date(row["month"]),
            measure=row["measure"],
            bucket=row["bucket"],
            count=row["n"],
            seconds=row["total"],
        )
        for row in groupings.duration_month_rows(queue_id, rolled_months)
    ]
    DurationCount.objects.filter(
        date_window("period_start", rolled_months),
        queue_id=queue_id,
        granularity=Granularity.MONTH,
    ).delete()
    DurationCount.objects.bulk_create(rolled, batch_size=2000)


def whole_months(first: datetime.date, last: datetime.date) -> tuple[list, list[DateRange]]:
    """([month starts inside [first, last]], [the days left over])."""
    months, days = [], []
    for start in bucket_starts(Granularity.MONTH, first, last):
        end = bucket_end(Granularity.MONTH, start)
        if start >= first and end <= last:
            months.append(start)
        else:
            days.append((max(start, first), min(end, last)))
    return months, days


def median_durations(
    queue_ids: Iterable[int], first: datetime.date, last: datetime.date
) -> dict[str, datetime.timedelta | None]:
    """{measure: median} of the enquiries received in [first, last]. One query.

    Whole months read their rolled-up rows, the days at either end their
    day rows. Interpolates an even count like percentile_cont.
    """
    months, days = whole_months(first, last)
    window = Q(granularity=Granularity.MONTH, period_start__in=months) | (
        Q(granularity=Granularity.DAY) & date_window("period_start", days)
    )
    rows = (
        DurationCount.objects.filter(window, queue_id__in=list(queue_ids))
        .values("measure", "bucket")
        .annotate(n=Sum("count"), total=Sum("seconds"))
        .order_by("measure", "bucket")
    )
    buckets: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in rows:
        buckets[row["measure"]].append((row["n"], row["total"] / row["n"]))
    return {measure: _median(buckets.get(measure, [])) for measure in MEASURES}


def _median(buckets: list[tuple[int, float]]) -> datetime.timedelta | None:
    """The median of (count, mean) bars in order, each bar standing for its mean."""
    total = sum(n for n, _mean in buckets)
    if not total:
        return None
    wanted = sorted({(total - 1) // 2, total // 2})
    values, seen = [], 0
    for n, mean in buckets:
        while wanted and wanted[0] < seen + n:
            values.append(mean)
            wanted.pop(0)
        seen += n
    middle = values[0] if len(values) == 1 else (values[0] + values[1]) / 2
    return datetime.timedelta(seconds=middle)


def day_rows(queue_ids: Iterable[int], first: datetime.date, last: datetime.date) -> list[dict]:
    """The EnquiryDay rows of [first, last] as dicts (one query)."""
    return list(
        EnquiryDay.objects.filter(queue_id__in=list(queue_ids), day__gte=first, day__lte=last)
        .values(
            "day",
            "received",
            "resolved",
            "resolved_with_deadline",
            "resolved_on_time",
            "escalations",
        )
        .order_by()
    )


def escalations(queue_ids: Iterable[int], first: datetime.date, last: datetime.date) -> dict:
    """{level: enquiries escalated to it} of those received in [first, last]."""
    totals: Counter = Counter()
    found = EnquiryDay.objects.filter(
        queue_id__in=list(queue_ids), day__gte=first, day__lte=last
    ).values_list("escalations", flat=True)
    for levels in found:
        for level, n in levels.items():
            totals[int(level)] += n
    return dict(totals)
