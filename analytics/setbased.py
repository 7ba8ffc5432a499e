"""The recompute's writes as INSERT ... SELECT (PostgreSQL).

The rows of the Python path (analytics.services and analytics.summaries),
from the same groupings (analytics.groupings) compiled into SQL: no model
instance per row, and the day rows from one read of the enquiries. Week
and month rows are summed from the day rows. The two paths are compared
row by row in tests/analytics/test_setbased.py.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connections, router
from django.db.models import BooleanField, ExpressionWrapper, QuerySet

from analytics import groupings
from analytics.groupings import DAY, DAY_COUNTS, MEASURES, Seconds
from analytics.models import Basis, DurationCount, EnquiryDay, Granularity, Level, TopicShare
from analytics.periods import DateRange, date_window
from analytics.summaries import EXACT_MINUTES, LOG_GROWTH
from nemid_cases.setbased import compiled, insert_into, insert_rows

SHARE_FIELDS = (
    "queue",
    "granularity",
    "period_start",
    "basis",
    "level",
    "topic",
    "category",
    "count",
    "total",
    "share",
    "computed_at",
)
DURATION_FIELDS = ("queue", "granularity", "period_start", "measure", "bucket", "count", "seconds")

# The four tables of a day (services._write_share_days): which grouping
# feeds each, and whether it keeps the category. The mention basis adds
# the further topics to the primary ones, merged per key as a Counter does.
CELLS = """
    SELECT day, %s, %s, topic_id, category_id, n FROM groups WHERE by_topic
    UNION ALL SELECT day, %s, %s, topic_id, NULL, n FROM groups WHERE by_topic
    UNION ALL SELECT day, %s, %s, topic_id, category_id, n FROM groups
        WHERE by_topic AND topic_id IS NOT NULL
    UNION ALL SELECT day, %s, %s, topic_id, NULL, n FROM groups
        WHERE by_topic AND topic_id IS NOT NULL
    UNION ALL SELECT day, %s, %s, topic_id, NULL, n FROM further
    UNION ALL SELECT day, %s, %s, topic_id, NULL, n FROM further
"""
KEY = "period_start, basis, level, topic_id, category_id"
RECOMPUTE_WORK_MEM = "64MB"
CELL_TABLES = (
    (Basis.ENQUIRY, Level.CATEGORY),
    (Basis.ENQUIRY, Level.TOPIC),
    (Basis.MENTION, Level.CATEGORY),
    (Basis.MENTION, Level.TOPIC),
    (Basis.MENTION, Level.CATEGORY),
    (Basis.MENTION, Level.TOPIC),
)


def available() -> bool:
    """Whether the database the snapshots are written to takes these statements."""
    return connections[router.db_for_write(TopicShare)].vendor == "postgresql"


def write_days(queue_id: int, ranges: list[DateRange], *, now: datetime.datetime) -> None:
    """Replace the day rows of the ranges (shares, day summaries, histograms), then
    the months' histograms. One statement writes the day rows.
    """
    days = date_window("period_start", ranges)
    TopicShare.objects.filter(days, queue_id=queue_id, granularity=Granularity.DAY).delete()
    EnquiryDay.objects.filter(date_window("day", ranges), queue_id=queue_id).delete()
    DurationCount.objects.filter(days, queue_id=queue_id, granularity=Granularity.DAY).delete()
    enquiries = groupings.cohort(queue_id, ranges)
    _primary, further = groupings.share_rows(queue_id, ranges)
    with connections[router.db_for_write(TopicShare)].cursor() as cursor:
        # The planner expects ten times the buckets there are and would sort
        # a month's enquiries on disk (a third of 1M) instead of hashing a
        # few MB of groups. For this transaction only.
        cursor.execute("SELECT set_config('work_mem', %s, true)", [RECOMPUTE_WORK_MEM])
    ctes = [
        ("groups", *_grouped(enquiries)),
        ("further", *_wrapped("SELECT day, topic_id, n FROM ({}) f", further)),
        (
            "escalations",
            *_wrapped(
                # str.isdigit() in the Python path; levels are written as digits.
                "SELECT day, jsonb_object_agg(new_value, n) AS levels FROM ({}) x"
                " WHERE new_value ~ '^[0-9]+$' GROUP BY day",
                groupings.escalation_rows(enquiries),
            ),
        ),
        ("days", *_day_summaries(queue_id, now=now)),
        ("durations", *_histograms(queue_id)),
        (f"cells ({KEY}, n)", CELLS, tuple(str(v) for table in CELL_TABLES for v in table)),
    ]
    merged = f"SELECT {KEY}, SUM(n) FROM cells GROUP BY {KEY}"
    shares, share_params = _shares(merged, (), queue_id, Granularity.DAY, now)
    insert_rows(
        TopicShare,
        SHARE_FIELDS,
        shares,
        (*(p for _name, _sql, params in ctes for p in params), *share_params),
        with_clause=",\n".join(f"{name} AS ({sql})" for name, sql, _params in ctes),
    )
    roll_up_durations(queue_id, ranges)


def _wrapped(template: str, queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = compiled(queryset)
    return template.format(sql), params


def _grouped(enquiries: QuerySet) -> tuple[str, tuple]:
    """One read of the enquiries, grouped three ways at once (GROUPING SETS).

    By (day, topic, category) with the day counts, for the shares and the
    day summaries; by (day, histogram bucket) of each measure. `by_topic`
    and `by_<measure>` say which grouping a row is of.
    """
    columns: dict[str, Any] = {"day": DAY}
    for name, condition in groupings.day_count_conditions().items():
        columns[f"is_{name}"] = ExpressionWrapper(condition, output_field=BooleanField())
    for measure, (later, _condition) in MEASURES.items():
        # NULL without the later moment: its bucket is NULL, a group dropped.
        columns[f"{measure}_seconds"] = Seconds(later)
    per_enquiry = enquiries.annotate(**columns).values("topic_id", "category_id", *columns)
    rows, params = compiled(per_enquiry.order_by())
    buckets, bucket_params = [], []
    for m in MEASURES:
        # bucket_of(minute * 60), minute as the Python path has it.
        minute = f"({m}_seconds / 60)"
        buckets.append(
            f"{minute} AS {m}_minute, CASE WHEN {minute} < %s THEN GREATEST({minute}, 0)"
            f" ELSE %s + TRUNC(LN({minute}::float8 / %s) / %s::float8)::bigint END AS {m}_bucket"
        )
        bucket_params += [EXACT_MINUTES, EXACT_MINUTES, EXACT_MINUTES, LOG_GROWTH]
    sets = ["(day, topic_id, category_id)", *(f"(day, {m}_bucket)" for m in MEASURES)]
    selected = ["day", "topic_id", "category_id", "GROUPING(topic_id) = 0 AS by_topic"]
    for m in MEASURES:
        selected.append(f"{m}_bucket")
        selected.append(f"GROUPING({m}_bucket) = 0 AS by_{m}")
        # The Python path counts a minute's seconds below zero (a clock
        # error) as none. Only minute 0 (-59 to 59 s) mixes signs; it and
        # the negative minutes fall in bucket 0.
        selected.append(
            f"CASE WHEN {m}_bucket = 0"
            f" THEN GREATEST(SUM({m}_seconds) FILTER (WHERE {m}_minute = 0), 0)"
            f" ELSE SUM({m}_seconds) END AS {m}_seconds"
        )
    selected.append("COUNT(*) AS n")
    for name in groupings.day_count_conditions():
        selected.append(f"COUNT(*) FILTER (WHERE is_{name}) AS {name}")
    # OFFSET 0 keeps the enquiries' subquery apart, so each duration is
    # computed once per enquiry, not once per use of it above.
    sql = (
        f"SELECT {', '.join(selected)}"
        f" FROM (SELECT e.*, {', '.join(buckets)} FROM ({rows} OFFSET 0) e) e"
        f" GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    return sql, (*bucket_params, *params)


def _day_summaries(queue_id: int, *, now: datetime.datetime) -> tuple[str, tuple]:
    """The EnquiryDay rows: each day's counts summed over its topics."""
    sums = ", ".join(f"SUM({'n' if name == 'received' else name}) AS {name}" for name in DAY_COUNTS)
    sql = f"""
        {insert_into(EnquiryDay, ("queue", "day", *DAY_COUNTS, "escalations", "computed_at"))}
        SELECT %s, d.day, {", ".join(f"d.{name}" for name in DAY_COUNTS)},
            COALESCE(e.levels, '{{}}'::jsonb), %s
        FROM (SELECT day, {sums} FROM groups WHERE by_topic GROUP BY day) d
        LEFT JOIN escalations e ON e.day = d.day
    """
    return sql, (queue_id, now)


def _histograms(queue_id: int) -> tuple[str, tuple]:
    """The day DurationCount rows: the bucket groupings as they are."""
    bars = " UNION ALL ".join(
        f"SELECT %s, %s, day, %s, {m}_bucket, n, {m}_seconds"
        f" FROM groups WHERE by_{m} AND {m}_bucket IS NOT NULL"
        for m in MEASURES
    )
    params = (p for m in MEASURES for p in (queue_id, str(Granularity.DAY), str(m)))
    return f"{insert_into(DurationCount, DURATION_FIELDS)} {bars}", tuple(params)


def _shares(
    cells: str, params: tuple, queue_id: int, granularity: str, now: datetime.datetime
) -> tuple[str, tuple]:
    """TopicShare rows from `cells` (period_start, basis, level, topic_id,
    category_id, n), one per key: totals and shares are taken in SQL.
    """
    # ROUND(numeric) rounds half away from zero: percent()'s ROUND_HALF_UP
    # for counts, which are never negative.
    sql = f"""
        SELECT %s, %s, period_start, basis, level, topic_id, category_id, n, total,
            ROUND(n * 100.0 / total, 1), %s
        FROM (
            SELECT c.*, SUM(n) OVER (PARTITION BY period_start, basis, level) AS total
            FROM ({cells}) c (period_start, basis, level, topic_id, category_id, n)
        ) counted
    """
    return sql, (queue_id, str(granularity), now, *params)


def roll_up_shares(
    queue_id: int, granularity: str, buckets: list[DateRange], *, now: datetime.datetime
) -> None:
    """Replace week or month shares by the sums of their day rows."""
    TopicShare.objects.filter(
        date_window("period_start", buckets), queue_id=queue_id, granularity=granularity
    ).delete()
    rows, params = compiled(groupings.share_bucket_rows(queue_id, granularity, buckets))
    # DATE_TRUNC of a date is a midnight in the session's time zone; ::date
    # reads it back in the same zone.
    cells = f"SELECT bucket::date, basis, level, topic_id, category_id, n FROM ({rows}) b"
    insert_rows(TopicShare, SHARE_FIELDS, *_shares(cells, params, queue_id, granularity, now))


def roll_up_durations(queue_id: int, ranges: list[DateRange]) -> None:
    """Replace the histograms of the months over the ranges by sums of their days."""
    months = groupings.months(ranges)
    DurationCount.objects.filter(
        date_window("period_start", months), queue_id=queue_id, granularity=Granularity.MONTH
    ).delete()
    rows, params = compiled(groupings.duration_month_rows(queue_id, months))
    insert_rows(
        DurationCount,
        DURATION_FIELDS,
        f"SELECT %s, %s, month::date, measure, bucket, n, total FROM ({rows}) m",
        (queue_id, str(Granularity.MONTH), *params),
    )
