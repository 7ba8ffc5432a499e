"""More of the business clock: holidays never count, durations split, bad input.

Hypothesis draws the instants; the holidays come from the same `holidays`
library the clock reads, so the properties hold for whatever it lists.
"""

import datetime
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enquiries.sla import BusinessCalendar, minutes, split_duration

CPH = ZoneInfo("Europe/Copenhagen")
DANISH = BusinessCalendar(
    time_zone=CPH,
    workdays=frozenset(range(5)),
    opens=datetime.time(8),
    closes=datetime.time(16),
    holiday_country="DK",
    holiday_categories=("public", "optional"),
)
# Weekday holidays: a weekend would be skipped without the holiday list.
WEEKDAY_HOLIDAYS = sorted(
    day
    for day in holidays.country_holidays(
        "DK", years=range(2009, 2031), categories=("public", "optional")
    )
    if day.weekday() < 5
)
EIGHT_HOURS = datetime.timedelta(hours=8)

instants = st.datetimes(
    min_value=datetime.datetime(2009, 1, 1),
    max_value=datetime.datetime(2030, 12, 31),
    timezones=st.just(CPH),
)


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=CPH)


@settings(max_examples=100, deadline=None)
@given(holiday=st.sampled_from(WEEKDAY_HOLIDAYS))
def test_a_weekday_holiday_has_no_business_time(holiday):
    day = datetime.timedelta(days=1)

    assert DANISH.between(midnight(holiday), midnight(holiday + day)) == datetime.timedelta(0)
    assert not DANISH.is_business_day(holiday)


@settings(max_examples=100, deadline=None)
@given(holiday=st.sampled_from(WEEKDAY_HOLIDAYS), before=instants, after=instants)
def test_a_duration_across_a_holiday_counts_only_the_days_around_it(holiday, before, after):
    day = datetime.timedelta(days=1)
    start = min(before, midnight(holiday))
    end = max(after, midnight(holiday + day))

    assert DANISH.between(start, end) == DANISH.between(start, midnight(holiday)) + DANISH.between(
        midnight(holiday + day), end
    )


@settings(max_examples=100, deadline=None)
@given(start=instants, business_minutes=st.integers(min_value=1, max_value=10 * 480))
def test_adding_business_time_never_lands_on_a_holiday(start, business_minutes):
    due = DANISH.add(start, minutes(business_minutes)).astimezone(CPH)

    assert due.date() not in WEEKDAY_HOLIDAYS
    assert due.weekday() < 5


@settings(max_examples=100, deadline=None)
@given(start=instants, a=st.integers(0, 3000), b=st.integers(0, 3000))
def test_adding_in_two_steps_is_adding_the_sum(start, a, b):
    assert DANISH.add(DANISH.add(start, minutes(a)), minutes(b)) == DANISH.add(
        start, minutes(a + b)
    )


@settings(max_examples=100, deadline=None)
@given(a=instants, b=instants)
def test_between_is_antisymmetric(a, b):
    assert DANISH.between(a, b) == -DANISH.between(b, a)


def test_a_full_working_week_is_forty_hours():
    monday = datetime.date(2010, 11, 15)

    assert DANISH.between(midnight(monday), midnight(monday + datetime.timedelta(days=7))) == (
        5 * EIGHT_HOURS
    )


def test_the_day_a_deadline_starts_counts_from_the_arrival():
    start = datetime.datetime(2010, 11, 15, 12, 30, tzinfo=CPH)

    assert DANISH.between(start, start + datetime.timedelta(days=1)) == EIGHT_HOURS
    assert DANISH.add(start, EIGHT_HOURS) == start + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("duration", "parts"),
    [
        (datetime.timedelta(0), (0, 0, 0)),
        (datetime.timedelta(minutes=59, seconds=59), (0, 0, 59)),
        (datetime.timedelta(hours=7, minutes=59), (0, 7, 59)),
        (EIGHT_HOURS, (1, 0, 0)),
        (datetime.timedelta(hours=17, minutes=5), (2, 1, 5)),
        # The sign is shown apart: the parts of an overrun are positive.
        (-datetime.timedelta(hours=9, minutes=30), (1, 1, 30)),
    ],
)
def test_split_duration_gives_working_days_hours_and_minutes(duration, parts):
    assert split_duration(duration, EIGHT_HOURS) == parts


def test_split_duration_with_a_shorter_working_day():
    assert split_duration(datetime.timedelta(hours=8), datetime.timedelta(hours=6)) == (1, 2, 0)


def test_split_duration_survives_a_day_of_no_length():
    # A calendar that opens and closes at once must not divide by zero.
    assert split_duration(datetime.timedelta(minutes=3), datetime.timedelta(0)) == (3, 0, 0)


class Floating(datetime.tzinfo):
    """A time zone that knows no offset: Python treats its times as naive."""

    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None

    def tzname(self, dt):
        return "floating"


@pytest.mark.parametrize(
    "naive",
    [datetime.datetime(2010, 11, 1, 9), datetime.datetime(2010, 11, 1, 9, tzinfo=Floating())],
    ids=["no tzinfo", "tzinfo without offset"],
)
def test_naive_datetimes_are_refused_everywhere(naive):
    aware = datetime.datetime(2010, 11, 1, 9, tzinfo=CPH)

    with pytest.raises(ValueError, match="timezone-aware"):
        DANISH.add(naive, minutes(60))
    with pytest.raises(ValueError, match="timezone-aware"):
        DANISH.between(naive, aware)
    with pytest.raises(ValueError, match="timezone-aware"):
        DANISH.between(aware, naive)


def test_a_calendar_without_a_holiday_country_works_on_holidays():
    no_holidays = BusinessCalendar(
        time_zone=CPH,
        workdays=frozenset(range(5)),
        opens=datetime.time(8),
        closes=datetime.time(16),
        holiday_country="",
    )
    christmas_eve = datetime.date(2010, 12, 24)  # a Friday

    assert no_holidays.is_business_day(christmas_eve)
    assert not DANISH.is_business_day(christmas_eve)
