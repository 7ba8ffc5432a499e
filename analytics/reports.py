"""Reading the topic-share snapshots for the API and dashboards.

A fixed number of queries whatever the period: the queue's taxonomy (two)
and the snapshot rows (one, aggregated in SQL for a custom period).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from analytics.models import Granularity, TopicShare
from analytics.periods import bucket_end, bucket_label, bucket_starts, percent
from enquiries.models import Category, Queue, Topic

PERIOD = "period"


@dataclass
class ShareRow:
    topic: Topic | None
    category: Category | None
    count: int
    share: Decimal


@dataclass
class Bucket:
    start: datetime.date
    end: datetime.date
    label: str
    total: int = 0
    rows: list[ShareRow] = field(default_factory=list)


def topic_shares(
    queue: Queue,
    *,
    granularity: str,
    start: datetime.date,
    end: datetime.date,
    basis: str,
    level: str,
) -> list[Bucket]:
    """Counts and shares per bucket; `granularity="period"` gives one bucket.

    Day, week and month buckets are the stored snapshots of every bucket
    that overlaps [start, end] (empty ones included, total 0). A period sums
    the day counts of exactly [start, end] and divides once, so its shares
    are exact, not averages of shares.
    """
    topics = {topic.pk: topic for topic in Topic.objects.filter(queue=queue)}
    categories = {c.pk: c for c in Category.objects.filter(topic__queue=queue)}
    rows = TopicShare.objects.filter(queue=queue, basis=basis, level=level)
    if granularity == PERIOD:
        bucket = Bucket(start=start, end=end, label=f"{start.isoformat()}/{end.isoformat()}")
        counts = (
            rows.filter(granularity=Granularity.DAY, period_start__gte=start, period_start__lte=end)
            .values("topic_id", "category_id")
            .annotate(n=Sum("count"))
            .order_by()
        )
        found = [(row["topic_id"], row["category_id"], row["n"]) for row in counts]
        _fill(bucket, found, topics, categories)
        return [bucket]

    buckets = {
        first: Bucket(
            start=first,
            end=bucket_end(granularity, first),
            label=bucket_label(granularity, first),
        )
        for first in bucket_starts(granularity, start, end)
    }
    per_bucket: dict[datetime.date, list[tuple]] = defaultdict(list)
    stored = rows.filter(
        granularity=granularity,
        period_start__gte=min(buckets),
        period_start__lte=max(buckets),
    ).values_list("period_start", "topic_id", "category_id", "count")
    for period_start, topic_id, category_id, count in stored:
        per_bucket[period_start].append((topic_id, category_id, count))
    for first, bucket in buckets.items():
        _fill(bucket, per_bucket[first], topics, categories)
    return list(buckets.values())


def _fill(bucket: Bucket, found: list[tuple], topics: dict, categories: dict) -> None:
    bucket.total = sum(count for _t, _c, count in found)
    bucket.rows = [
        ShareRow(
            topic=topics.get(topic_id),
            category=categories.get(category_id),
            count=count,
            share=percent(count, bucket.total),
        )
        for topic_id, category_id, count in found
        if count
    ]
    # Largest first, like the report; unclassified rows last among equals.
    bucket.rows.sort(
        key=lambda row: (
            -row.count,
            row.topic is None,
            row.topic.position if row.topic else 0,
            row.category.position if row.category else -1,
        )
    )
