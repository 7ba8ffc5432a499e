"""Enquiries and citizens affected by known problems over time (the
dashboard's and the report's series): counted in one query."""

import datetime

import pytest

from analytics.periods import REPORTING_TZ
from enquiries.models import Enquiry
from problems.models import KnownProblem, KnownProblemLink
from problems.reports import affected_over_time
from tests.factories import CitizenFactory, EnquiryFactory

MONDAY = datetime.date(2010, 11, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=REPORTING_TZ)


@pytest.fixture
def linked(problem, category):
    """Week 1: two enquiries of citizen A and one of B; week 3: one of A
    (linked to two problems), one of C; one unlinked enquiry of D."""
    a, b, c, d = (CitizenFactory() for _ in range(4))
    other = KnownProblem.objects.create(title="Andet", description="x", category=category)
    week = datetime.timedelta(days=7)
    rows = [
        (a, at(MONDAY), [problem]),
        (a, at(MONDAY + datetime.timedelta(days=2)), [problem]),
        # 23:30 on Sunday in Copenhagen is still week 1 (22:30 UTC).
        (b, at(MONDAY + datetime.timedelta(days=6), 23), [problem]),
        (a, at(MONDAY + 2 * week), [problem, other]),
        (c, at(MONDAY + 2 * week), [other]),
        (d, at(MONDAY + 2 * week), []),
    ]
    for citizen, received_at, problems in rows:
        enquiry = EnquiryFactory(category=category, citizen=citizen, received_at=received_at)
        for owner in problems:
            KnownProblemLink.objects.create(problem=owner, enquiry=enquiry)


def test_counts_per_week_with_running_totals(linked):
    series = affected_over_time(
        Enquiry.objects.all(), "week", MONDAY, MONDAY + datetime.timedelta(days=20)
    )

    assert [
        (row.start, row.enquiries, row.citizens, row.total_enquiries, row.total_citizens)
        for row in series
    ] == [
        (MONDAY, 3, 2, 3, 2),
        (MONDAY + datetime.timedelta(days=7), 0, 0, 3, 2),
        # A again (already counted) and C; the enquiry of two problems once.
        (MONDAY + datetime.timedelta(days=14), 2, 2, 5, 3),
    ]


def test_only_the_cohort_counts(linked, category):
    cohort = Enquiry.objects.filter(received_at__gte=at(MONDAY + datetime.timedelta(days=14), 0))

    series = affected_over_time(cohort, "week", MONDAY, MONDAY + datetime.timedelta(days=20))

    assert [(row.enquiries, row.total_citizens) for row in series] == [(0, 0), (0, 0), (2, 2)]


@pytest.mark.parametrize("days", [6, 300])
def test_one_query_however_many_buckets(linked, days, django_assert_num_queries):
    with django_assert_num_queries(1):
        series = affected_over_time(
            Enquiry.objects.all(), "day", MONDAY, MONDAY + datetime.timedelta(days=days)
        )

    assert len(series) == days + 1
    assert series[-1].total_enquiries == (3 if days == 6 else 5)
