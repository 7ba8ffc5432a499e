"""The business clock: weekends, Danish holidays, DST and arrival out of hours."""

import datetime
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enquiries.sla import BusinessCalendar, minutes

CPH = ZoneInfo("Europe/Copenhagen")
DANISH = BusinessCalendar(
    time_zone=CPH,
    workdays=frozenset(range(5)),
    opens=datetime.time(8),
    closes=datetime.time(16),
    holiday_country="DK",
    holiday_categories=("public", "optional"),
)


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=CPH)


def test_default_calendar_is_danish_office_hours():
    assert BusinessCalendar.from_settings() == DANISH
    assert DANISH.day_length == datetime.timedelta(hours=8)


@pytest.mark.parametrize(
    ("start", "business_minutes", "due"),
    [
        # Within one day.
        (at(2010, 11, 1, 9), 60, at(2010, 11, 1, 10)),
        # A day used up exactly ends at closing, not at next morning.
        (at(2010, 11, 1, 8), 480, at(2010, 11, 1, 16)),
        # Arrival before opening, after closing, at the weekend.
        (at(2010, 11, 1, 6), 60, at(2010, 11, 1, 9)),
        (at(2010, 11, 1, 17, 30), 60, at(2010, 11, 2, 9)),
        (at(2010, 11, 6, 10), 30, at(2010, 11, 8, 8, 30)),
        # Friday afternoon runs over the weekend.
        (at(2010, 11, 5, 15, 30), 60, at(2010, 11, 8, 8, 30)),
        # Easter 2011: Maundy Thursday, Good Friday, Easter Monday.
        (at(2011, 4, 20, 15), 120, at(2011, 4, 26, 9)),
        # Christmas Eve (Friday) and the two Christmas days (weekend) 2010.
        (at(2010, 12, 23, 15), 120, at(2010, 12, 27, 9)),
        # New Year's Eve (Friday) 2010, New Year's Day on the Saturday.
        (at(2010, 12, 30, 15), 120, at(2011, 1, 3, 9)),
        # Grundlovsdag, Wednesday 5 June 2024.
        (at(2024, 6, 4, 15), 120, at(2024, 6, 6, 9)),
        # Store bededag was a holiday in 2010 (Friday 30 April) ...
        (at(2010, 4, 29, 15), 120, at(2010, 5, 3, 9)),
        # ... and is abolished from 2024 (it would have been 26 April).
        (at(2024, 4, 25, 15), 120, at(2024, 4, 26, 9)),
        # DST starts Sunday 27 March 2011 and ends Sunday 31 October 2010:
        # Monday's 09:00 is local time in the new offset.
        (at(2011, 3, 25, 15), 120, at(2011, 3, 28, 9)),
        (at(2010, 10, 29, 15), 120, at(2010, 11, 1, 9)),
        # Several days.
        (at(2010, 11, 1, 9), 3 * 480, at(2010, 11, 4, 9)),
    ],
)
def test_add_counts_only_business_time(start, business_minutes, due):
    result = DANISH.add(start, minutes(business_minutes))

    assert result == due
    assert result.utcoffset() == due.utcoffset()
    assert DANISH.between(start, result) == minutes(business_minutes)


def test_dst_weekend_costs_no_business_time():
    # Friday 15:00 CET to Monday 09:00 CEST: 65 real hours, 2 business hours.
    start, end = at(2011, 3, 25, 15), at(2011, 3, 28, 9)

    # (Python subtracts same-zone datetimes by wall clock: compare in UTC.)
    assert end.astimezone(datetime.UTC) - start == datetime.timedelta(hours=65)
    assert DANISH.between(start, end) == datetime.timedelta(hours=2)


def test_hours_spanning_the_dst_change_count_real_time():
    # A 01:00-05:00 shift on the night the clocks go forward has 3 real hours,
    # and on the night they go back 5.
    night = BusinessCalendar(
        time_zone=CPH,
        workdays=frozenset(range(7)),
        opens=datetime.time(1),
        closes=datetime.time(5),
        holiday_country="",
    )

    assert night.between(at(2011, 3, 27, 0), at(2011, 3, 27, 12)) == datetime.timedelta(hours=3)
    assert night.between(at(2010, 10, 31, 0), at(2010, 10, 31, 12)) == datetime.timedelta(hours=5)
    assert night.add(at(2011, 3, 27, 1), datetime.timedelta(hours=3)) == at(2011, 3, 27, 5)


def test_between_is_negative_when_the_end_is_earlier():
    assert DANISH.between(at(2010, 11, 1, 12), at(2010, 11, 1, 10)) == -datetime.timedelta(hours=2)


def test_between_skips_weekends_and_out_of_hours():
    friday_afternoon, monday_morning = at(2010, 11, 5, 14), at(2010, 11, 8, 10)

    assert DANISH.between(friday_afternoon, monday_morning) == datetime.timedelta(hours=4)
    assert DANISH.between(at(2010, 11, 6, 9), at(2010, 11, 7, 15)) == datetime.timedelta(0)


def test_adding_nothing_returns_the_start():
    start = at(2010, 11, 6, 10)

    assert DANISH.add(start, datetime.timedelta(0)) == start


def test_naive_datetimes_and_negative_durations_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        DANISH.add(datetime.datetime(2010, 11, 1, 9), minutes(60))
    with pytest.raises(ValueError, match="negative"):
        DANISH.add(at(2010, 11, 1, 9), minutes(-1))


def test_a_calendar_without_working_days_is_an_error_not_a_hang():
    never = BusinessCalendar(
        time_zone=CPH,
        workdays=frozenset(),
        opens=datetime.time(8),
        closes=datetime.time(16),
    )

    with pytest.raises(ValueError, match="No business time"):
        never.add(at(2010, 11, 1, 9), minutes(1))


instants = st.datetimes(
    min_value=datetime.datetime(2009, 1, 1),
    max_value=datetime.datetime(2030, 12, 31),
    timezones=st.just(CPH),
)


@settings(max_examples=200, deadline=None)
@given(start=instants, business_minutes=st.integers(min_value=1, max_value=20 * 480))
def test_between_undoes_add(start, business_minutes):
    due = DANISH.add(start, minutes(business_minutes))

    assert due > start
    assert DANISH.between(start, due) == minutes(business_minutes)
    local = due.astimezone(CPH)
    assert DANISH.is_business_day(local.date())
    assert datetime.time(8) < local.time() <= datetime.time(16)


@settings(max_examples=100, deadline=None)
@given(start=instants, a=st.integers(0, 5000), b=st.integers(0, 5000))
def test_add_is_monotonic(start, a, b):
    small, large = sorted((a, b))

    assert DANISH.add(start, minutes(small)) <= DANISH.add(start, minutes(large))


@settings(max_examples=100, deadline=None)
@given(a=instants, b=instants, c=instants)
def test_between_adds_up_over_any_split(a, b, c):
    first, middle, last = sorted((a, b, c))

    assert DANISH.between(first, middle) + DANISH.between(middle, last) == DANISH.between(
        first, last
    )


def test_between_spans_years():
    # The taskforce's enquiries looked at years later: 2010 to 2026. Count
    # the full working days in between straight from the holiday list.
    closed = holidays.country_holidays(
        "DK", years=range(2010, 2027), categories=("public", "optional")
    )
    days = (datetime.date(2010, 11, 5) + datetime.timedelta(n) for n in range(5866))
    full_days = sum(1 for day in days if day.weekday() < 5 and day not in closed)
    assert datetime.date(2010, 11, 5) + datetime.timedelta(5866) == datetime.date(2026, 11, 27)

    span = DANISH.between(at(2010, 11, 4, 9), at(2026, 11, 27, 12))

    # Thursday 4 November 09-16, the full days, Friday 27 November 08-12.
    assert span == datetime.timedelta(hours=7 + 8 * full_days + 4)
