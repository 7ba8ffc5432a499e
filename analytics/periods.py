"""Calendar helpers: reporting days in Europe/Copenhagen, ISO weeks, months."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q

from analytics.models import Granularity

# Days are counted as the taskforce lived them, whatever the server's zone.
REPORTING_TZ = ZoneInfo("Europe/Copenhagen")


def as_local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """A database's day or month truncation as a date (in Copenhagen if it has a zone)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(REPORTING_TZ)
        return value.date()
    return value


ONE_DAY = datetime.timedelta(days=1)

DateRange = tuple[datetime.date, datetime.date]


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(REPORTING_TZ).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight in Copenhagen (midnight always exists: DST changes at 02:00)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=REPORTING_TZ)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def bucket_start(granularity: str, day: datetime.date) -> datetime.date:
    if granularity == Granularity.WEEK:
        return week_start(day)
    if granularity == Granularity.MONTH:
        return month_start(day)
    return day


def bucket_end(granularity: str, start: datetime.date) -> datetime.date:
    """The last day of the bucket that begins on `start`."""
    if granularity == Granularity.WEEK:
        return start + datetime.timedelta(days=6)
    if granularity == Granularity.MONTH:
        following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - ONE_DAY
    return start


def bucket_starts(granularity: str, first: datetime.date, last: datetime.date) -> Iterator:
    """The start of every bucket that overlaps [first, last], in order."""
    start = bucket_start(granularity, first)
    while start <= last:
        yield start
        start = bucket_end(granularity, start) + ONE_DAY


def bucket_label(granularity: str, start: datetime.date) -> str:
    if granularity == Granularity.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if granularity == Granularity.MONTH:
        return f"{start:%Y-%m}"
    return start.isoformat()


def merge_ranges(ranges: Iterable[DateRange]) -> list[DateRange]:
    """Sort and merge overlapping or adjacent date ranges."""
    merged: list[DateRange] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def date_window(field: str, ranges: Iterable[DateRange]) -> Q:
    """A filter on a date field for any of the ranges (inclusive)."""
    window = Q(pk__in=[])
    for first, last in ranges:
        window |= Q(**{f"{field}__gte": first, f"{field}__lte": last})
    return window


def moment_window(field: str, ranges: Iterable[DateRange]) -> Q:
    """A filter on a datetime field for the Copenhagen days of the ranges."""
    window = Q(pk__in=[])
    for first, last in ranges:
        window |= Q(
            **{f"{field}__gte": day_start(first), f"{field}__lt": day_start(last + ONE_DAY)}
        )
    return window


def percent(count: int, total: int) -> Decimal:
    """A share with one decimal, rounded half up like the report (30.9)."""
    if not total:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
