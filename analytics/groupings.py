"""What a recompute reads: one queue's enquiries of some days, grouped in SQL.

Both ways of writing the snapshots start from these querysets: the Python
path reads their rows (analytics.services, analytics.summaries), the
set-based path on PostgreSQL compiles them into INSERT ... SELECT
(analytics.setbased). One definition of what is counted keeps the rows of
the two paths identical.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, Count, F, Func, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek

from analytics.models import DurationCount, Granularity, Measure, TopicShare
from analytics.periods import (
    REPORTING_TZ,
    DateRange,
    bucket_end,
    bucket_starts,
    date_window,
    moment_window,
)
from enquiries.models import Enquiry, EnquiryEvent

# The Copenhagen day an enquiry was received on.
DAY = TruncDate("received_at", tzinfo=REPORTING_TZ)


class Seconds(Func):
    """Whole seconds from `received_at` to a later moment, in SQL."""

    output_field = BigIntegerField()

    def __init__(self, later: str, earlier: str = "received_at") -> None:
        super().__init__(F(later), F(earlier))

    def as_sql(self, compiler, connection, **extra):
        # SQLite: julianday() reads Django's stored text; days to seconds.
        template = "CAST(ROUND((julianday(%(expressions)s)) * 86400) AS INTEGER)"
        return super().as_sql(
            compiler, connection, template=template, arg_joiner=") - julianday(", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        template = "ROUND(EXTRACT(EPOCH FROM (%(expressions)s)))::bigint"
        return super().as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)


# measure -> (the later moment, the condition for having a duration)
MEASURES: dict[str, tuple[str, Q]] = {
    Measure.FIRST_RESPONSE: ("first_responded_at", Q(first_responded_at__isnull=False)),
    Measure.RESOLUTION: ("resolved_at", Q(resolved_at__isnull=False)),
}

DAY_COUNTS = ("received", "resolved", "resolved_with_deadline", "resolved_on_time")


def day_count_conditions() -> dict[str, Q]:
    """The enquiries each count of an `EnquiryDay` but `received` counts."""
    with_deadline = Q(resolved_at__isnull=False, resolution_due_at__isnull=False)
    return {
        "resolved": Q(status__in=Enquiry.CLOSED_STATUSES),
        "resolved_with_deadline": with_deadline,
        "resolved_on_time": with_deadline & Q(resolved_at__lte=F("resolution_due_at")),
    }


def day_count_annotations() -> dict[str, Count]:
    """The counts of an `EnquiryDay`, for any grouping that includes the day."""
    counts = {
        name: Count("id", filter=condition) for name, condition in day_count_conditions().items()
    }
    return {"received": Count("id"), **counts}


def cohort(queue_id: int, ranges: list[DateRange]) -> QuerySet:
    """The queue's enquiries received on the Copenhagen days of the ranges."""
    return Enquiry.objects.filter(moment_window("received_at", ranges), queue_id=queue_id)


def share_rows(queue_id: int, ranges: list[DateRange]) -> tuple[QuerySet, QuerySet]:
    """(day, topic, category) with n and the day counts; (day, further topic) with n."""
    primary = (
        cohort(queue_id, ranges)
        .annotate(day=DAY)
        .values("day", "topic_id", "category_id")
        .annotate(n=Count("id"), **day_count_annotations())
        .order_by()
    )
    # Typed as the auto-created through model, on which django-stubs
    # resolves no annotation ("day" below).
    further_topics: Any = Enquiry.additional_topics.through.objects
    # A further topic equal to the primary one would be counted twice.
    further = (
        further_topics.filter(moment_window("enquiry__received_at", ranges))
        .filter(enquiry__queue_id=queue_id)
        .exclude(topic_id=F("enquiry__topic_id"))
        .annotate(day=TruncDate("enquiry__received_at", tzinfo=REPORTING_TZ))
        .values("day", "topic_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return primary, further


def escalation_rows(enquiries: QuerySet) -> QuerySet:
    """(day, level, enquiries escalated to it) of `enquiries`."""
    # Through the partial index on escalation events: no timeline scan.
    return (
        EnquiryEvent.objects.filter(
            kind=EnquiryEvent.Kind.ESCALATED, enquiry__in=enquiries.values("pk")
        )
        .annotate(day=TruncDate("enquiry__received_at", tzinfo=REPORTING_TZ))
        .values("day", "new_value")
        # Each enquiry once per level, as the enquiry list's `escalated`
        # filter selects them (an enquiry falls on one day only).
        .annotate(n=Count("enquiry", distinct=True))
        .order_by()
    )


def minute_rows(enquiries: QuerySet, measure: str) -> QuerySet:
    """(day, whole minutes, enquiries, seconds in all) of one measure."""
    later, condition = MEASURES[measure]
    # Grouped by whole minutes in SQL: a day's thousands of enquiries
    # come back as at most a few thousand rows.
    return (
        enquiries.filter(condition)
        .annotate(day=DAY, minute=Seconds(later) / 60)
        .values("day", "minute")
        .annotate(n=Count("id"), total=Sum(Seconds(later)))
        .order_by()
    )


def share_bucket_rows(queue_id: int, granularity: str, buckets: list[DateRange]) -> QuerySet:
    """The day shares of the buckets summed per (bucket, basis, level, topic, category)."""
    trunc = TruncWeek if granularity == Granularity.WEEK else TruncMonth
    return (
        TopicShare.objects.filter(
            date_window("period_start", buckets),
            queue_id=queue_id,
            granularity=Granularity.DAY,
        )
        .annotate(bucket=trunc("period_start"))
        .values("bucket", "basis", "level", "topic_id", "category_id")
        .annotate(n=Sum("count"))
        .order_by()
    )


def months(ranges: list[DateRange]) -> list[DateRange]:
    """Every month that overlaps the ranges, whole."""
    return [
        (start, bucket_end(Granularity.MONTH, start))
        for first, last in ranges
        for start in bucket_starts(Granularity.MONTH, first, last)
    ]


def duration_month_rows(queue_id: int, whole_months: list[DateRange]) -> QuerySet:
    """The day histograms of the months summed per (month, measure, bucket)."""
    return (
        DurationCount.objects.filter(
            date_window("period_start", whole_months),
            queue_id=queue_id,
            granularity=Granularity.DAY,
        )
        .annotate(month=TruncMonth("period_start"))
        .values("month", "measure", "bucket")
        .annotate(n=Sum("count"), total=Sum("seconds"))
        .order_by()
    )
