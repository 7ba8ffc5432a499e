"""The demo data's deadlines are the SLA module's, only computed faster."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest

from enquiries.deadlines import compute_deadlines
from enquiries.models import Enquiry, Queue, SlaPolicy
from enquiries.sla import BusinessCalendar
from seed.generator.deadlines import DueDates
from seed.reference import SLA_POLICIES, load_sla_policies

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MINUTES = sorted({m for queue in SLA_POLICIES.values() for p in queue.values() for m in p[:2]})


def moments() -> list[datetime.datetime]:
    """Every kind of start, in time order: random ones and the edges of a day."""
    rng = random.Random(7)
    start = datetime.datetime(2010, 6, 28, tzinfo=COPENHAGEN)
    found = [start + datetime.timedelta(seconds=rng.randrange(130 * 86_400)) for _ in range(1000)]
    for day in range(120):
        date = datetime.date(2010, 7, 1) + datetime.timedelta(days=day)
        for hour, minute in [(0, 0), (7, 59), (8, 0), (12, 0), (15, 59), (16, 0), (23, 59)]:
            found.append(datetime.datetime.combine(date, datetime.time(hour, minute), COPENHAGEN))
    return sorted(found)


def test_add_agrees_with_the_business_calendar_everywhere(settings):
    calendar = BusinessCalendar.from_settings()
    fast = DueDates(calendar, {})

    for moment in moments():
        for minutes in [*MINUTES, 1, 481]:
            delta = datetime.timedelta(minutes=minutes)
            assert fast.add(moment, delta) == calendar.add(moment, delta), (moment, minutes)


@pytest.mark.django_db
def test_due_dates_are_those_the_app_sets_for_a_new_enquiry(taxonomy):
    load_sla_policies()
    support = Queue.objects.get(code="support")
    category = support.topics.first().categories.first()
    due = DueDates.from_database()
    calendar = BusinessCalendar.from_settings()
    received_at = datetime.datetime(2010, 10, 29, 15, 30, tzinfo=COPENHAGEN)  # a Friday

    for priority in Enquiry.Priority.values:
        enquiry = Enquiry(
            queue=support, priority=priority, category=category, received_at=received_at
        )
        expected = compute_deadlines(enquiry, SlaPolicy.objects.for_enquiry(enquiry), calendar)
        assert (
            due(
                queue_code="support",
                priority=priority,
                category_id=category.pk,
                received_at=received_at,
            )
            == expected
        )


def test_no_policy_means_no_deadlines():
    due = DueDates(BusinessCalendar.from_settings(), {})
    received_at = datetime.datetime(2010, 7, 1, 9, tzinfo=COPENHAGEN)

    assert due(queue_code="press", priority=2, category_id=None, received_at=received_at) == (
        None,
        None,
    )
