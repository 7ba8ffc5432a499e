"""Topic-share snapshots, their incremental upkeep, and alert decisions.

Counting is done by the database (GROUP BY); Python only derives the four
tables (two bases x two levels) from the few aggregated rows. A change to
an enquiry marks its (queue, day) dirty in the same transaction, so a broker
outage loses nothing: the next run of `recompute_dirty_days` catches up.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from actions.models import Action, Theme
from actions.services import create_action, update_action
from analytics import setbased
from analytics.groupings import share_bucket_rows, share_rows
from analytics.models import Basis, DirtyDay, Granularity, Level, PatternAlert, TopicShare
from analytics.patterns import detect_pattern_alerts
from analytics.periods import (
    DateRange,
    bucket_end,
    bucket_starts,
    date_window,
    local_day,
    merge_ranges,
    percent,
)
from analytics.summaries import DayCounts, add_day_counts, write_enquiry_days
from enquiries.models import Enquiry, Queue
from nemid_cases.queueing import enqueue_on_commit
from stakeholders.models import Organisation

logger = logging.getLogger(__name__)

# Enquiry changes that move a count between topics, days or queues.
SHARE_FIELDS = frozenset({"created", "queue", "category", "additional_topics", "received_at"})
# ... and those that change a day summary's counts or durations (status,
# and priority through the deadlines).
SNAPSHOT_FIELDS = SHARE_FIELDS | {"status", "priority"}

# (bucket start, basis, level) -> {(topic id, category id): count}
Counts = dict[tuple[datetime.date, str, str], Counter[tuple[int | None, int | None]]]


def mark_enquiry_dirty(
    enquiry: Enquiry, *, changed: set[str], old: dict[str, Any], now: datetime.datetime
) -> None:
    """Mark the enquiry's (queue, day), and its former one if it moved.

    The reaction to every enquiry change (enquiries/hooks.py, registered in
    analytics/apps.py), inside the change's transaction.
    """
    if not changed & SNAPSHOT_FIELDS:
        return
    marks = {(enquiry.queue_id, local_day(enquiry.received_at))}
    if "queue" in old or "received_at" in old:
        old_queue = old.get("queue")
        marks.add(
            (
                old_queue.pk if old_queue is not None else enquiry.queue_id,
                local_day(old.get("received_at") or enquiry.received_at),
            )
        )
    mark_days_dirty(marks, now=now)


def mark_rows_dirty(
    rows: Iterable[tuple[int, datetime.datetime]], *, changed: set[str], now: datetime.datetime
) -> None:
    """Mark the (queue, day) of enquiries a set-based UPDATE changed.

    The reaction to bulk changes (enquiries/hooks.py; escalation's claim):
    every change that reaches it moves a day summary's counts.
    """
    mark_days_dirty({(queue_id, local_day(received_at)) for queue_id, received_at in rows}, now=now)


def mark_days_dirty(marks: Iterable[tuple[int, datetime.date]], *, now: datetime.datetime) -> None:
    """Insert dirty marks; enqueue a recompute if a (queue, day) was clean.

    Runs in the caller's transaction. A day already marked enqueues nothing:
    the pending run will see the new mark too (this is the debounce).
    """
    marks = set(marks)
    if not marks:
        return
    existing_filter = Q(pk__in=[])
    for queue_id, day in marks:
        existing_filter |= Q(queue_id=queue_id, day=day)
    existing = set(DirtyDay.objects.filter(existing_filter).values_list("queue_id", "day"))
    DirtyDay.objects.bulk_create(
        [DirtyDay(queue_id=queue_id, day=day, marked_at=now) for queue_id, day in sorted(marks)]
    )
    if marks - existing:
        from analytics.tasks import recompute_topic_shares

        countdown = settings.ANALYTICS_RECOMPUTE_COUNTDOWN
        enqueue_on_commit(recompute_topic_shares.s().set(countdown=countdown))


def recompute_dirty_days(*, now: datetime.datetime | None = None) -> dict[int, int]:
    """Recompute the snapshots of every dirty day, then look for patterns.

    Per queue, one transaction under a lock on the queue row, so two workers
    never write the same buckets. Deletes only the marks it read.
    Idempotent. Returns {queue id: days recomputed}.
    """
    now = now or timezone.now()
    done: dict[int, int] = {}
    queue_ids = sorted(set(DirtyDay.objects.values_list("queue_id", flat=True)))
    for queue_id in queue_ids:
        with transaction.atomic():
            if not _lock_queue(queue_id):
                continue
            marks = list(DirtyDay.objects.filter(queue_id=queue_id).values_list("pk", "day"))
            if not marks:
                continue
            days = {day for _pk, day in marks}
            _recompute(queue_id, merge_ranges((day, day) for day in days), now=now)
            DirtyDay.objects.filter(pk__in=[pk for pk, _day in marks]).delete()
            detect_pattern_alerts(queue_id, now=now)
            done[queue_id] = len(days)
    return done


def rebuild_topic_shares(
    start: datetime.date,
    end: datetime.date,
    *,
    queue: Queue | None = None,
    now: datetime.datetime | None = None,
) -> list[int]:
    """Recompute every snapshot of [start, end] from the enquiries.

    Weeks and months that overlap the period are rolled up again from their
    day rows. Clears the dirty marks it covered. Returns the queue ids.
    """
    if end < start:
        raise ValidationError({"end": [_("The end date must not be before the start date.")]})
    now = now or timezone.now()
    queue_ids = [queue.pk] if queue else list(Queue.objects.values_list("pk", flat=True))
    for queue_id in queue_ids:
        with transaction.atomic():
            _lock_queue(queue_id)
            covered = DirtyDay.objects.filter(queue_id=queue_id, day__gte=start, day__lte=end)
            covered_ids = list(covered.values_list("pk", flat=True))
            _recompute(queue_id, [(start, end)], now=now)
            DirtyDay.objects.filter(pk__in=covered_ids).delete()
            detect_pattern_alerts(queue_id, now=now)
    return queue_ids


def _lock_queue(queue_id: int) -> bool:
    # FOR NO KEY UPDATE: serialises recomputes of a queue without blocking
    # enquiries being inserted (their foreign key takes only KEY SHARE).
    return bool(
        list(Queue.objects.select_for_update(no_key=True).filter(pk=queue_id).values_list("pk"))
    )


def _recompute(
    queue_id: int, ranges: list[DateRange], *, now: datetime.datetime, in_sql: bool | None = None
) -> None:
    """Rewrite the day rows of the ranges, then the weeks and months over them.

    Set-based on PostgreSQL (analytics.setbased), by bulk_create elsewhere;
    both write the same rows. `in_sql` chooses, by default the database.
    """
    if in_sql is None:
        in_sql = setbased.available()
    _write_days(queue_id, ranges, now=now, in_sql=in_sql)
    for granularity in (Granularity.WEEK, Granularity.MONTH):
        buckets = merge_ranges(
            (start, bucket_end(granularity, start))
            for first, last in ranges
            for start in bucket_starts(granularity, first, last)
        )
        if in_sql:
            setbased.roll_up_shares(queue_id, granularity, buckets, now=now)
        else:
            _roll_up(queue_id, granularity, buckets, now=now)


def _write_days(
    queue_id: int, ranges: list[DateRange], *, now: datetime.datetime, in_sql: bool
) -> None:
    """Replace the day rows of the ranges: shares, day summaries, histograms."""
    if in_sql:
        setbased.write_days(queue_id, ranges, now=now)
    else:
        day_counts = _write_share_days(queue_id, ranges, now=now)
        write_enquiry_days(queue_id, ranges, now=now, day_counts=day_counts)


def _write_share_days(
    queue_id: int, ranges: list[DateRange], *, now: datetime.datetime
) -> DayCounts:
    """Count enquiries and mentions per day in SQL and replace the day rows.

    Returns the days' `EnquiryDay` counts, added up from the same read.
    """
    primary, further = share_rows(queue_id, ranges)
    counts: Counts = defaultdict(Counter)
    day_counts: DayCounts = {}
    for row in primary:
        add_day_counts(day_counts, row)
        day, topic, category, n = row["day"], row["topic_id"], row["category_id"], row["n"]
        counts[(day, Basis.ENQUIRY, Level.CATEGORY)][(topic, category)] += n
        counts[(day, Basis.ENQUIRY, Level.TOPIC)][(topic, None)] += n
        if topic is not None:
            counts[(day, Basis.MENTION, Level.CATEGORY)][(topic, category)] += n
            counts[(day, Basis.MENTION, Level.TOPIC)][(topic, None)] += n
    for row in further:
        day, topic, n = row["day"], row["topic_id"], row["n"]
        counts[(day, Basis.MENTION, Level.CATEGORY)][(topic, None)] += n
        counts[(day, Basis.MENTION, Level.TOPIC)][(topic, None)] += n
    _replace(queue_id, Granularity.DAY, ranges, counts, now=now)
    return day_counts


def _roll_up(
    queue_id: int, granularity: str, buckets: list[DateRange], *, now: datetime.datetime
) -> None:
    """Replace week or month rows by the sums of their day rows (in SQL)."""
    counts: Counts = defaultdict(Counter)
    for row in share_bucket_rows(queue_id, granularity, buckets):
        bucket = row["bucket"]
        if isinstance(bucket, datetime.datetime):
            bucket = bucket.date()
        key = (bucket, row["basis"], row["level"])
        counts[key][(row["topic_id"], row["category_id"])] += row["n"]
    _replace(queue_id, granularity, buckets, counts, now=now)


def _replace(
    queue_id: int,
    granularity: str,
    ranges: list[DateRange],
    counts: Counts,
    *,
    now: datetime.datetime,
) -> None:
    TopicShare.objects.filter(
        date_window("period_start", ranges), queue_id=queue_id, granularity=granularity
    ).delete()
    rows = []
    for (start, basis, level), counter in counts.items():
        total = sum(counter.values())
        for (topic_id, category_id), n in counter.items():
            rows.append(
                TopicShare(
                    queue_id=queue_id,
                    granularity=granularity,
                    period_start=start,
                    basis=basis,
                    level=level,
                    topic_id=topic_id,
                    category_id=category_id,
                    count=n,
                    total=total,
                    share=percent(n, total),
                    computed_at=now,
                )
            )
    TopicShare.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def dismiss_alert(alert: PatternAlert, *, by: User, reason: str) -> PatternAlert:
    """Close an open alert with the reason; the spike raises no new alert."""
    if not by.has_perm("analytics.change_patternalert"):
        raise PermissionDenied(_("You may not decide on pattern alerts."))
    alert = _locked_alert(alert)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the alert is dismissed.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Keep the reason under 2000 characters.")]})
    alert.status = PatternAlert.Status.DISMISSED
    alert.dismiss_reason = reason
    alert.decided_by = by
    alert.decided_at = timezone.now()
    alert.save(update_fields=["status", "dismiss_reason", "decided_by", "decided_at"])
    return alert


@transaction.atomic
def act_on_alert(
    alert: PatternAlert,
    *,
    by: User,
    title: str,
    theme: Theme,
    owner: Organisation,
    description: str = "",
) -> Action:
    """Create a proposed action whose origin is the alert's topic; mark it acted.

    The action is made by actions.services.create_action, like any other.
    """
    if not by.has_perm("analytics.change_patternalert"):
        raise PermissionDenied(_("You may not decide on pattern alerts."))
    alert = _locked_alert(alert)
    action = create_action(
        owner,
        by=by,
        title=title,
        theme=theme,
        description=description,
        origin_topics=[alert.topic],
        origin_categories=[alert.category] if alert.category is not None else [],
    )
    record_alert_action(alert, action=action, by=by)
    return action


@transaction.atomic
def record_alert_action(alert: PatternAlert, *, action: Action, by: User) -> PatternAlert:
    """Record that an action answers an open alert; adds the topic as its origin.

    For the action form too (`alert=<id>`), after the action is created.
    The origins change through actions.services.update_action, so a topic
    added here shows on the action's timeline. Refuses an alert already
    decided.
    """
    if not by.has_perm("analytics.change_patternalert"):
        raise PermissionDenied(_("You may not decide on pattern alerts."))
    alert = _locked_alert(alert)
    changes: dict[str, list[Any]] = {}
    topics = list(action.origin_topics.all())
    if alert.topic not in topics:
        changes["origin_topics"] = [*topics, alert.topic]
    categories = list(action.origin_categories.all())
    if alert.category_id and alert.category not in categories:
        changes["origin_categories"] = [*categories, alert.category]
    if changes:
        update_action(action, by=by, changes=changes)
    alert.status = PatternAlert.Status.ACTED
    alert.action = action
    alert.decided_by = by
    alert.decided_at = timezone.now()
    alert.save(update_fields=["status", "action", "decided_by", "decided_at"])
    return alert


def _locked_alert(alert: PatternAlert) -> PatternAlert:
    locked = (
        PatternAlert.objects.select_for_update(of=("self",))
        .select_related("topic", "category")
        .get(pk=alert.pk)
    )
    if not locked.is_open:
        raise ValidationError({"status": [_("This alert has already been decided.")]})
    return locked
