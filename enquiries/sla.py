"""Business time for deadlines: pure functions, no database.

A deadline counts working time only: by default Monday to Friday 08:00-16:00
in Europe/Copenhagen, minus Danish holidays from the `holidays` library
(settings.SLA_CALENDAR). Opening hours are built from local wall times and
all arithmetic is done in UTC, so a daylight-saving change neither adds nor
loses business time, and an arrival outside hours starts counting at the
next opening.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

UTC = datetime.UTC
# How far add() searches before deciding the calendar has no working time.
MAX_DAYS = 3660


@functools.lru_cache(maxsize=128)
def _holidays(country: str, categories: tuple[str, ...], year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays(country, years=year, categories=categories).keys())


def _parse_time(value: str | datetime.time) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    return datetime.time.fromisoformat(value)


def _aware(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Business time needs timezone-aware datetimes.")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours on working days in one time zone, minus holidays."""

    time_zone: ZoneInfo
    workdays: frozenset[int]
    opens: datetime.time
    closes: datetime.time
    holiday_country: str = "DK"
    holiday_categories: tuple[str, ...] = ("public",)

    @classmethod
    def from_settings(cls) -> BusinessCalendar:
        config = settings.SLA_CALENDAR
        return cls(
            time_zone=ZoneInfo(config["TIME_ZONE"]),
            workdays=frozenset(int(day) for day in config["WORKDAYS"]),
            opens=_parse_time(config["OPENS"]),
            closes=_parse_time(config["CLOSES"]),
            holiday_country=config["HOLIDAY_COUNTRY"],
            holiday_categories=tuple(config["HOLIDAY_CATEGORIES"]),
        )

    def is_holiday(self, day: datetime.date) -> bool:
        if not self.holiday_country:
            return False
        return day in _holidays(self.holiday_country, self.holiday_categories, day.year)

    def is_business_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.workdays and not self.is_holiday(day)

    def opening_hours(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The day's opening and closing instants in UTC (whatever the day)."""
        opens = datetime.datetime.combine(day, self.opens, tzinfo=self.time_zone)
        closes = datetime.datetime.combine(day, self.closes, tzinfo=self.time_zone)
        return opens.astimezone(UTC), closes.astimezone(UTC)

    @property
    def day_length(self) -> datetime.timedelta:
        """Business time in one ordinary working day (8 hours by default)."""
        day = datetime.date(2001, 1, 15)
        opens, closes = self.opening_hours(day)
        return closes - opens

    def _days_from(self, start: datetime.datetime):
        day = start.astimezone(self.time_zone).date()
        for _ in range(MAX_DAYS):
            if self.is_business_day(day):
                yield self.opening_hours(day)
            day += datetime.timedelta(days=1)
        raise ValueError(f"No business time within {MAX_DAYS} days of {start}.")

    def add(self, start: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime:
        """The instant `delta` of business time after `start` (local time zone).

        Counting starts at the next opening if `start` is outside hours; a
        deadline that uses up a day exactly falls on its closing time.
        """
        if delta < datetime.timedelta(0):
            raise ValueError("Cannot add negative business time.")
        start = _aware(start)
        if not delta:
            return start.astimezone(self.time_zone)
        remaining = delta
        for opens, closes in self._days_from(start):
            begin = max(start, opens)
            if begin >= closes:
                continue
            available = closes - begin
            if remaining <= available:
                return (begin + remaining).astimezone(self.time_zone)
            remaining -= available
        raise AssertionError("unreachable")  # pragma: no cover

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
        """Business time from `start` to `end`; negative if `end` is earlier.

        Walks the days in between: about a millisecond per year of span.
        """
        start, end = _aware(start), _aware(end)
        if end < start:
            return -self.between(end, start)
        total = datetime.timedelta(0)
        day = start.astimezone(self.time_zone).date()
        last = end.astimezone(self.time_zone).date()
        while day <= last:
            if self.is_business_day(day):
                opens, closes = self.opening_hours(day)
                overlap = min(closes, end) - max(opens, start)
                if overlap > datetime.timedelta(0):
                    total += overlap
            day += datetime.timedelta(days=1)
        return total


def minutes(value: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=value)


def split_duration(
    value: datetime.timedelta, day_length: datetime.timedelta
) -> tuple[int, int, int]:
    """(working days, hours, minutes) of a non-negative business duration."""
    total_minutes = int(abs(value).total_seconds() // 60)
    day_minutes = max(int(day_length.total_seconds() // 60), 1)
    days, rest = divmod(total_minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    return days, hours, mins
