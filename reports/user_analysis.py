"""The report's user-analysis section, computed from the data for a period.

Topic shares come from the analytics day snapshots where these cover the
period: no dirty marks on its days and the snapshots' enquiry total equal
to a COUNT of the queue's enquiries received in it. A queue whose snapshots
do not cover the period is counted directly from the enquiries with the
same two GROUP BY queries analytics uses, so the figures are never stale;
nothing is written (`build_report --rebuild-snapshots` refreshes them).

Every list is fetched in a fixed number of queries, whatever its length.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone

from actions.models import Action
from analytics.models import Basis, DirtyDay, Granularity, Level, TopicShare
from analytics.periods import day_start, moment_window, percent
from enquiries.models import Category, Enquiry, Queue, Topic
from feedback.models import EnquiryRating, SurveyResult
from notices.models import Incident
from notices.reports import incidents_in_period
from problems.reports import Affected, affected_over_time
from reports import wording
from reports.formatting import da_int, da_share, period_label, period_phrase
from stakeholders.models import Meeting, Recommendation

TOP_TOPICS = 5
SNAPSHOT = "snapshot"
DIRECT = "direct"


@dataclass
class TopicRow:
    topic: Topic
    count: int
    share: Decimal

    @property
    def name(self) -> str:
        return self.topic.name_da

    @property
    def share_text(self) -> str:
        return da_share(self.share)


@dataclass
class QueueSection:
    queue: Queue
    heading: str
    intro: str
    basis: str
    enquiries: int
    denominator: int
    top: list[TopicRow]
    rest: int
    unclassified: int
    source: str
    basis_note: str = ""

    @property
    def table_id(self) -> str:
        return f"shares-{self.queue.code}"


@dataclass
class ThemeGroup:
    name: str
    actions: list[Action] = field(default_factory=list)


@dataclass
class UserAnalysis:
    start: datetime.date
    end: datetime.date
    built_at: datetime.datetime
    total: int
    grand_total_sentence: str
    sections: list[QueueSection]
    themes: list[ThemeGroup]
    meetings: list[Meeting]
    written_recommendations: list[Recommendation]
    surveys: list[SurveyResult]
    ratings: dict
    # Incidents whose window meets the period, with `linked_count`.
    incidents: list[Incident] = field(default_factory=list)
    # Enquiries and citizens affected by known problems, month by month.
    problems_over_time: list[Affected] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    @property
    def period_phrase(self) -> str:
        return period_phrase(self.start, self.end)

    @property
    def sources(self) -> set[str]:
        return {section.source for section in self.sections}


def build_user_analysis(
    start: datetime.date, end: datetime.date, *, now: datetime.datetime | None = None
) -> UserAnalysis:
    """Everything the report's user-analysis section shows for [start, end]."""
    now = now or timezone.now()
    sections = queue_sections(start, end)
    total = sum(section.enquiries for section in sections)
    return UserAnalysis(
        start=start,
        end=end,
        built_at=now,
        total=total,
        grand_total_sentence=wording.GRAND_TOTAL.format(
            period=period_phrase(start, end), total=da_int(total)
        ),
        sections=sections,
        themes=action_themes(start),
        meetings=meetings_since(start),
        written_recommendations=written_recommendations_since(start),
        surveys=list(
            SurveyResult.objects.select_related("conducted_by", "commissioned_by").order_by(
                "published_on", "id"
            )
        ),
        ratings=rating_summary(start, end),
        incidents=incidents_in_period(
            day_start(start), day_start(end + datetime.timedelta(days=1))
        ),
        problems_over_time=affected_over_time(
            Enquiry.objects.filter(moment_window("received_at", [(start, end)])),
            Granularity.MONTH,
            start,
            end,
        ),
    )


def queue_sections(start: datetime.date, end: datetime.date) -> list[QueueSection]:
    """One section per queue with its total and top topics (a fixed 6-8 queries)."""
    window = moment_window("received_at", [(start, end)])
    queues = list(Queue.objects.order_by("position", "code"))
    received = dict(
        Enquiry.objects.filter(window)
        .values("queue_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("queue_id", "n")
    )
    day_rows = TopicShare.objects.filter(
        granularity=Granularity.DAY,
        level=Level.TOPIC,
        period_start__gte=start,
        period_start__lte=end,
    )
    snapshot_totals = dict(
        day_rows.filter(basis=Basis.ENQUIRY)
        .values("queue_id")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("queue_id", "n")
    )
    stale = set(
        DirtyDay.objects.filter(day__gte=start, day__lte=end)
        .values_list("queue_id", flat=True)
        .distinct()
    )
    covered = {
        q.pk
        for q in queues
        if q.pk not in stale and snapshot_totals.get(q.pk, 0) == received.get(q.pk, 0)
    }
    # (queue id, basis) -> {topic id or None: count}
    counts: dict[tuple[int, str], dict[int | None, int]] = defaultdict(dict)
    if covered:
        rows = (
            day_rows.filter(queue_id__in=covered)
            .values("queue_id", "basis", "topic_id")
            .annotate(n=Sum("count"))
            .order_by()
        )
        for row in rows:
            counts[(row["queue_id"], row["basis"])][row["topic_id"]] = row["n"]
    uncovered = [q.pk for q in queues if q.pk not in covered]
    if uncovered:
        _count_directly(counts, uncovered, start, end)
    topics = {topic.pk: topic for topic in Topic.objects.all()}
    categories = dict(
        Category.objects.values("topic__queue_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("topic__queue_id", "n")
    )
    return [
        _section(
            queue,
            counts,
            topics,
            enquiries=received.get(queue.pk, 0),
            categories=categories.get(queue.pk, 0),
            source=SNAPSHOT if queue.pk in covered else DIRECT,
            period=period_phrase(start, end),
        )
        for queue in queues
    ]


def _count_directly(
    counts: dict, queue_ids: list[int], start: datetime.date, end: datetime.date
) -> None:
    """Per-enquiry and per-mention topic counts straight from the enquiries."""
    primary = (
        Enquiry.objects.filter(moment_window("received_at", [(start, end)]))
        .filter(queue_id__in=queue_ids)
        .values("queue_id", "topic_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in primary:
        queue_id, topic_id, n = row["queue_id"], row["topic_id"], row["n"]
        counts[(queue_id, Basis.ENQUIRY)][topic_id] = n
        if topic_id is not None:
            counts[(queue_id, Basis.MENTION)][topic_id] = n
    # As analytics counts them: a further topic equal to the primary one is
    # the same mention, so it is not counted twice.
    further = (
        Enquiry.additional_topics.through.objects.filter(
            moment_window("enquiry__received_at", [(start, end)])
        )
        .filter(enquiry__queue_id__in=queue_ids)
        .exclude(topic_id=F("enquiry__topic_id"))
        .values("enquiry__queue_id", "topic_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in further:
        mentions = counts[(row["enquiry__queue_id"], Basis.MENTION)]
        mentions[row["topic_id"]] = mentions.get(row["topic_id"], 0) + row["n"]


def _section(
    queue: Queue,
    counts: dict,
    topics: dict[int, Topic],
    *,
    enquiries: int,
    categories: int,
    source: str,
    period: str,
) -> QueueSection:
    text = wording.queue_wording(queue.code, queue.name_da)
    found = counts.get((queue.pk, text.basis), {})
    denominator = sum(found.values())
    classified = [
        TopicRow(topic=topics[topic_id], count=n, share=percent(n, denominator))
        for topic_id, n in found.items()
        if topic_id is not None and n and topic_id in topics
    ]
    # Largest first, like the report; ties in the taxonomy's order.
    classified.sort(key=lambda row: (-row.count, row.topic.position, row.topic.name_da))
    top = classified[:TOP_TOPICS]
    unclassified = found.get(None, 0)
    section = QueueSection(
        queue=queue,
        heading=text.heading,
        intro=text.intro.format(
            period=period, total=da_int(enquiries), categories=categories, name=queue.name_da
        ),
        basis=text.basis,
        enquiries=enquiries,
        denominator=denominator,
        top=top,
        rest=denominator - sum(row.count for row in top),
        unclassified=unclassified,
        source=source,
    )
    section.basis_note = _basis_note(section)
    return section


def _basis_note(section: QueueSection) -> str:
    if section.basis == Basis.MENTION:
        note = wording.BASIS_MENTION.format(
            mentions=da_int(section.denominator), total=da_int(section.enquiries)
        )
    else:
        note = wording.BASIS_ENQUIRY.format(total=da_int(section.enquiries))
    parts = [note]
    if section.unclassified:
        parts.append(
            wording.UNCLASSIFIED.format(
                count=da_int(section.unclassified),
                share=da_share(percent(section.unclassified, section.denominator)),
            )
        )
    if section.rest and section.top:
        parts.append(
            wording.REST.format(share=da_share(percent(section.rest, section.denominator)))
        )
    parts.append(wording.SOURCE_SNAPSHOT if section.source == SNAPSHOT else wording.SOURCE_DIRECT)
    return " ".join(parts)


def action_themes(start: datetime.date) -> list[ThemeGroup]:
    """Actions by theme, except cancelled ones and those completed before `start`."""
    actions = (
        Action.objects.exclude(status=Action.Status.CANCELLED)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=start))
        .select_related("theme", "owner")
        .order_by(
            "theme__position",
            "theme__name_da",
            "theme_id",
            F("due_end").asc(nulls_last=True),
            "title",
            "id",
        )
    )
    groups: dict[int, ThemeGroup] = {}
    for action in actions:
        group = groups.setdefault(action.theme_id, ThemeGroup(name=action.theme.name_da))
        action.status_da = wording.ACTION_STATUS[action.status]
        group.actions.append(action)
    return list(groups.values())


def meetings_since(start: datetime.date) -> list[Meeting]:
    """Meetings held from `start` on (or undated), with recommendations and responses."""
    return list(
        Meeting.objects.filter(Q(held_on__isnull=True) | Q(held_on__gte=start))
        .prefetch_related(
            "organisations",
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("organisation").order_by(
                    "organisation__name", "id"
                ),
            ),
        )
        .order_by(F("held_on").asc(nulls_last=True), "title", "id")
    )


def written_recommendations_since(start: datetime.date) -> list[Recommendation]:
    """Recommendations received in writing (no meeting) from `start` on, or undated."""
    return list(
        Recommendation.objects.filter(meeting__isnull=True)
        .filter(Q(received_on__isnull=True) | Q(received_on__gte=start))
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )


def rating_summary(start: datetime.date, end: datetime.date) -> dict:
    """Ratings of the enquiries received in the period (one query)."""
    ratings = EnquiryRating.objects.filter(
        moment_window("enquiry__received_at", [(start, end)])
    ).order_by()
    summary = ratings.summary()
    count = summary["count"]
    summary["scores"] = [
        {
            "score": score,
            "count": summary[f"score_{score}"],
            "share": da_share(percent(summary[f"score_{score}"], count)),
        }
        for score in EnquiryRating.SCORES
    ]
    summary["satisfied_share"] = da_share(percent(summary["satisfied"], count)) if count else ""
    return summary
