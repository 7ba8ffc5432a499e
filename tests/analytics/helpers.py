"""Helpers for the statistics tests: enquiries written in bulk on given days."""

import datetime

from analytics.models import Granularity, Level, TopicShare
from analytics.periods import REPORTING_TZ
from enquiries.models import Category, Enquiry, Queue, Topic
from enquiries.sequences import format_reference, next_reference_numbers


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment on a Copenhagen day."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=REPORTING_TZ)


def make_enquiries(
    queue: Queue,
    *,
    received_at: datetime.datetime,
    category: Category | None = None,
    further: list[Topic] | tuple = (),
    n: int = 1,
) -> list[Enquiry]:
    """`n` enquiries written directly (no timeline, no hook), fast."""
    numbers = next_reference_numbers(n)
    enquiries = Enquiry.objects.bulk_create(
        [
            Enquiry(
                reference=format_reference(queue.reference_prefix, received_at.year, number),
                queue=queue,
                channel=queue.default_channel,
                received_at=received_at,
                subject="Brev",
                category=category,
                topic_id=category.topic_id if category else None,
                team=queue.team,
            )
            for number in numbers
        ]
    )
    through = Enquiry.additional_topics.through
    through.objects.bulk_create(
        [through(enquiry_id=e.pk, topic_id=t.pk) for e in enquiries for t in further]
    )
    return enquiries


def snapshot(queue: Queue, **filters) -> dict:
    """{(granularity, start, basis, level, topic code, category code): (count, total, share)}."""
    rows = TopicShare.objects.filter(queue=queue, **filters).select_related("topic", "category")
    return {
        (
            row.granularity,
            row.period_start,
            row.basis,
            row.level,
            row.topic.code if row.topic else None,
            row.category.code if row.category else None,
        ): (row.count, row.total, str(row.share))
        for row in rows
    }


def shares_by_topic(queue: Queue, *, granularity=Granularity.DAY, start, basis, level=Level.TOPIC):
    rows = TopicShare.objects.filter(
        queue=queue, granularity=granularity, period_start=start, basis=basis, level=level
    ).select_related("topic")
    return {(row.topic.code if row.topic else None): (row.count, str(row.share)) for row in rows}


def category_of(queue: Queue, topic_code: str, code: str | None = None) -> Category:
    return Category.objects.get(topic__queue=queue, topic__code=topic_code, code=code or topic_code)
