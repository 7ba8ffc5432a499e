"""Day summaries and duration histograms behind the dashboard's figures."""

import datetime

import pytest

from analytics import services, summaries
from analytics.models import DurationCount, EnquiryDay, Granularity
from enquiries.models import Enquiry
from tests.analytics.helpers import at, make_enquiries

pytestmark = pytest.mark.django_db

JULY_30 = datetime.date(2010, 7, 30)
AUG_2 = datetime.date(2010, 8, 2)
HOUR = datetime.timedelta(hours=1)


def test_buckets_are_whole_minutes_below_two_hours_then_2_percent_wide():
    assert [summaries.bucket_of(s) for s in (0, 59, 60, 7199)] == [0, 0, 1, 119]
    previous_start = 120
    for bucket in range(121, 400):
        start = next(
            m for m in range(previous_start, 10**6) if summaries.bucket_of(m * 60) >= bucket
        )
        assert start - previous_start <= 0.02 * previous_start + 1  # whole minutes
        previous_start = start


def resolve(enquiries, after: datetime.timedelta):
    for enquiry in enquiries:
        Enquiry.objects.filter(pk=enquiry.pk).update(
            status=Enquiry.Status.RESOLVED,
            first_responded_at=enquiry.received_at + after / 2,
            resolved_at=enquiry.received_at + after,
            resolution_due_at=enquiry.received_at + 24 * HOUR,
        )


def test_a_rebuild_counts_the_days_and_the_months_histograms(support):
    resolve(make_enquiries(support, received_at=at(JULY_30), n=3), 2 * HOUR)
    resolve(make_enquiries(support, received_at=at(AUG_2), n=2), 30 * HOUR)
    make_enquiries(support, received_at=at(AUG_2), n=1)

    services.rebuild_topic_shares(JULY_30, AUG_2, queue=support)

    days = {row.day: row for row in EnquiryDay.objects.filter(queue=support)}
    assert (days[JULY_30].received, days[JULY_30].resolved) == (3, 3)
    assert (days[AUG_2].received, days[AUG_2].resolved, days[AUG_2].resolved_on_time) == (3, 2, 0)
    months = DurationCount.objects.filter(granularity=Granularity.MONTH, measure="resolution")
    assert sorted(months.values_list("period_start", "count")) == [
        (datetime.date(2010, 7, 1), 3),
        (AUG_2.replace(day=1), 2),
    ]


def test_medians_over_whole_months_and_loose_days_agree_with_the_durations(support):
    # Six resolutions of 2 h (July), four of 30 h (August): the median is 2 h.
    resolve(make_enquiries(support, received_at=at(JULY_30), n=6), 2 * HOUR)
    resolve(make_enquiries(support, received_at=at(AUG_2), n=4), 30 * HOUR)
    services.rebuild_topic_shares(datetime.date(2010, 7, 1), AUG_2, queue=support)

    whole = summaries.median_durations([support.pk], datetime.date(2010, 7, 1), AUG_2)
    august = summaries.median_durations([support.pk], AUG_2, AUG_2)

    assert whole == {"first_response": HOUR, "resolution": 2 * HOUR}
    assert august == {"first_response": 15 * HOUR, "resolution": 30 * HOUR}


def test_whole_months_splits_a_period_into_months_and_loose_days():
    months, days = summaries.whole_months(datetime.date(2010, 6, 20), datetime.date(2010, 8, 31))

    assert months == [datetime.date(2010, 7, 1), datetime.date(2010, 8, 1)]
    assert days == [(datetime.date(2010, 6, 20), datetime.date(2010, 6, 30))]


def test_a_resolution_reaches_the_summary_at_the_next_recompute(support, personas):
    from enquiries import services as enquiry_services

    enquiry = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Kode", received_at=at(JULY_30)
    )
    services.recompute_dirty_days(now=at(JULY_30, 12))
    assert EnquiryDay.objects.get(queue=support, day=JULY_30).resolved == 0

    enquiry_services.transition_enquiry(
        enquiry, to="resolved", by=personas["agent"], resolution="Ny kode sendt"
    )
    services.recompute_dirty_days(now=at(JULY_30, 13))

    assert EnquiryDay.objects.get(queue=support, day=JULY_30).resolved == 1
