"""The recompute's set-based writes (PostgreSQL) write what the Python path writes.

Both paths recompute the same awkward data, each in a savepoint that is
rolled back, and every topic share, day summary and histogram bar they
leave is compared row by row.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from analytics import services
from analytics.models import DurationCount, EnquiryDay, TopicShare
from enquiries.models import Enquiry, EnquiryEvent, Topic
from tests.analytics.helpers import at, category_of, make_enquiries

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="INSERT ... SELECT with window sums: PostgreSQL"
)

OCT_25 = datetime.date(2010, 10, 25)  # a Monday; summer time ends on Sunday the 31st
DST_END = datetime.date(2010, 10, 31)
NOV_3 = datetime.date(2010, 11, 3)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
UTC = datetime.UTC


def settle(enquiries, *, status, responded=None, resolved=None, due=None):
    """Durations measured from each enquiry's reception; None leaves it empty."""
    for enquiry in enquiries:
        received = enquiry.received_at
        Enquiry.objects.filter(pk=enquiry.pk).update(
            status=status,
            first_responded_at=received + responded if responded is not None else None,
            resolved_at=received + resolved if resolved is not None else None,
            resolution_due_at=received + due if due is not None else None,
        )


def escalate(enquiries, *levels):
    EnquiryEvent.objects.bulk_create(
        EnquiryEvent(enquiry=e, kind=EnquiryEvent.Kind.ESCALATED, new_value=level)
        for e in enquiries
        for level in levels
    )


def write_awkward_weeks(support, ministry):
    """Two ISO weeks over a month's end and the night summer time ended."""
    topics = {t.code: t for t in Topic.objects.filter(queue=support)}
    expired = category_of(support, "midlertidig-adgangskode", "udloebet")
    not_received = category_of(support, "midlertidig-adgangskode", "ikke-modtaget")
    failed = category_of(support, "aktivering", "fejl")
    # 16 on one day: 1/16 and 3/16 are 6.25 % and 18.75 %, halves to round up.
    make_enquiries(support, received_at=at(OCT_25, 9), category=expired, n=12)
    make_enquiries(support, received_at=at(OCT_25, 10), category=failed, n=3)
    make_enquiries(support, received_at=at(OCT_25, 11), category=not_received)
    # Unclassified, alone and with further topics.
    make_enquiries(support, received_at=at(datetime.date(2010, 10, 26), 12), n=2)
    make_enquiries(
        support,
        received_at=at(datetime.date(2010, 10, 26), 13),
        further=[topics["noeglekort"], topics["aktivering"]],
    )
    # A further topic equal to the primary one, and one that is not.
    make_enquiries(
        support,
        received_at=at(datetime.date(2010, 10, 26), 8),
        category=expired,
        further=[topics["midlertidig-adgangskode"], topics["noeglekort"]],
        n=3,
    )
    # A topic without a category (as an old row might have it).
    (topicless,) = make_enquiries(support, received_at=at(datetime.date(2010, 10, 26), 9))
    Enquiry.objects.filter(pk=topicless.pk).update(topic=topics["bestilling"])
    make_enquiries(
        support,
        received_at=at(datetime.date(2010, 10, 26), 9),
        further=[topics["bestilling"]],
    )
    # October 27 has nothing. Around midnight in Copenhagen (UTC+2).
    late = make_enquiries(support, received_at=at(datetime.date(2010, 10, 28), 23, 59), n=2)
    early = make_enquiries(support, received_at=at(datetime.date(2010, 10, 29), 0, 1))
    make_enquiries(
        support,
        received_at=datetime.datetime(2010, 10, 29, 21, 59, 59, tzinfo=UTC),
        category=failed,
    )
    make_enquiries(
        support, received_at=datetime.datetime(2010, 10, 29, 22, 0, tzinfo=UTC), category=failed
    )
    # The 25-hour day: 00:30 CEST, 02:30 twice (CEST, then CET), 23:30 CET.
    dst = make_enquiries(support, received_at=at(DST_END, 0, 30), category=expired)
    dst += make_enquiries(
        support, received_at=datetime.datetime(2010, 10, 31, 0, 30, tzinfo=UTC), category=failed
    )
    dst += make_enquiries(
        support, received_at=datetime.datetime(2010, 10, 31, 1, 30, tzinfo=UTC), category=failed
    )
    dst += make_enquiries(support, received_at=at(DST_END, 23, 30), category=not_received)
    # Within a minute either side of the reception: the minute's seconds
    # add up to 30 on the 26th (beside five minutes below zero, counted as
    # none), to -40 on the 28th (counted as none).
    for day, hour, responded in (
        (26, 14, -5 * MINUTE),
        (26, 14, datetime.timedelta(seconds=50)),
        (26, 15, datetime.timedelta(seconds=-20)),
        (28, 14, datetime.timedelta(seconds=10)),
        (28, 15, datetime.timedelta(seconds=-50)),
    ):
        settle(
            make_enquiries(support, received_at=at(datetime.date(2010, 10, day), hour)),
            status=Enquiry.Status.IN_PROGRESS,
            responded=responded,
        )
    # Across the month's end, and November 2 has nothing.
    november = make_enquiries(support, received_at=at(datetime.date(2010, 11, 1), 0, 0), n=3)
    november += make_enquiries(support, received_at=at(NOV_3, 23, 59), category=expired)
    # Another queue on the same days must not be counted.
    make_enquiries(
        ministry, received_at=at(OCT_25, 9), category=category_of(ministry, "sikkerhed"), n=4
    )

    closed = Enquiry.Status.CLOSED
    resolved = Enquiry.Status.RESOLVED
    # Whole minutes, the two-hour edge, the 2 % buckets, seconds to round.
    settle(late, status=resolved, responded=59 * MINUTE, resolved=2 * HOUR, due=24 * HOUR)
    settle(early, status=closed, responded=datetime.timedelta(seconds=61.4), resolved=30 * HOUR)
    settle(dst[:1], status=resolved, responded=0 * MINUTE, resolved=3 * HOUR, due=HOUR)
    settle(dst[1:2], status=resolved, resolved=117 * HOUR + 59 * MINUTE, due=200 * HOUR)
    # Resolved before it was received (a clock error): counted, no seconds.
    settle(dst[2:3], status=resolved, responded=-30 * MINUTE, resolved=-datetime.timedelta(0, 30))
    settle(november[:2], status=resolved, responded=HOUR, resolved=HOUR + 30 * MINUTE, due=HOUR)
    settle(november[2:], status=Enquiry.Status.IN_PROGRESS, responded=5 * MINUTE)
    escalate(late, "1", "2")
    escalate(late[:1], "1")  # an enquiry is counted once per level
    escalate(dst[:1], "1", "")  # a value that is no level is left out


def written(queue_ids):
    def rows(model, *fields):
        # By repr: topic and category may be None.
        return sorted(model.objects.filter(queue_id__in=queue_ids).values_list(*fields), key=repr)

    return {
        "shares": rows(
            TopicShare,
            "queue_id",
            "granularity",
            "period_start",
            "basis",
            "level",
            "topic_id",
            "category_id",
            "count",
            "total",
            "share",
            "computed_at",
        ),
        "days": rows(
            EnquiryDay,
            "queue_id",
            "day",
            "received",
            "resolved",
            "resolved_with_deadline",
            "resolved_on_time",
            "escalations",
            "computed_at",
        ),
        "durations": rows(
            DurationCount,
            "queue_id",
            "granularity",
            "period_start",
            "measure",
            "bucket",
            "count",
            "seconds",
        ),
    }


def recomputed(queue_ids, ranges, *, in_sql, now):
    """The rows after recomputing `ranges` of each queue by one path, then undone."""
    with transaction.atomic():
        for queue_id in queue_ids:
            services._recompute(queue_id, ranges, now=now, in_sql=in_sql)
        found = written(queue_ids)
        transaction.set_rollback(True)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ranges",
    [
        [(OCT_25, NOV_3)],
        # Dirty days apart, over rows written before: the weeks and months
        # are summed from day rows that were not recomputed.
        [(datetime.date(2010, 10, 26), datetime.date(2010, 10, 27)), (DST_END, DST_END)],
    ],
    ids=["whole-span", "dirty-days"],
)
def test_sql_and_python_paths_write_the_same_rows(support, ministry, ranges):
    write_awkward_weeks(support, ministry)
    queue_ids = [support.pk, ministry.pk]
    earlier = at(NOV_3, 6)
    for queue_id in queue_ids:
        services._recompute(queue_id, [(OCT_25, NOV_3)], now=earlier, in_sql=False)
    # Makes the rows written so far stale: a path that left one behind, or
    # did not rewrite it, would show it.
    Enquiry.objects.filter(received_at=at(NOV_3, 23, 59)).update(topic=None, category=None)
    Enquiry.objects.filter(received_at=at(DST_END, 23, 30)).update(status=Enquiry.Status.CLOSED)
    EnquiryEvent.objects.filter(new_value="2").update(new_value="3")

    now = at(NOV_3, 18)
    python = recomputed(queue_ids, ranges, in_sql=False, now=now)
    sql = recomputed(queue_ids, ranges, in_sql=True, now=now)

    assert sql == python
    assert len(python["shares"]) > 100
    assert len(python["durations"]) > 20
    shares = {row[9] for row in python["shares"]}
    assert {Decimal("6.3"), Decimal("18.8"), Decimal("100.0")} <= shares
    assert {day for _q, day, *_rest in python["days"]} >= {DST_END}
    assert any(row[6] for row in python["days"])  # some escalations
