"""A small fixed dataset whose dashboard figures are worked out by hand.

Everything is placed relative to a `now`, so the same figures hold for a
fixed clock (the figure tests) and for the real one (the page tests). The
period is the fourteen days before today; `today` is Copenhagen's.

Support queue, received in the period (7 enquiries):

| # | day | topic | first response | resolved | deadline | now |
|---|-----|-------|----------------|----------|----------|-----|
| E1 | D-14 09:00 | temporary password | 10 min | after 2 h | met | resolved |
| E2 | D-13 10:00 | temporary password | 20 min | after 48 h | missed | closed |
| E3 | D-12 08:00 | activation (+ forgotten pw.) | 40 min | after 6 h | met | resolved |
| E4 | D-7 12:00 | activation | 2 h | | missed (D-5) | in progress, escalated 1, 2, 1 |
| E5 | D-2 10:00 | forgotten password | none, due D-1 | | | new, escalated 1 |
| E6 | D-1 23:30 | temporary password | 15 min | | | in progress |
| E10 | D-10 09:00 | not classified | 60 min | | due D-8, paused D-9 | waiting |

Outside: E7 (today 00:30), E8 (D-15 23:59), and one ministry letter in the
period (counted only for all queues).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from actions.models import Action
from analytics.models import PatternAlert
from analytics.periods import REPORTING_TZ, local_day
from analytics.services import rebuild_topic_shares
from dashboards.scope import Scope
from enquiries.models import Category, Enquiry, EnquiryEvent, Queue, Topic
from enquiries.sequences import format_reference, next_reference_numbers
from feedback.models import EnquiryRating, SurveyResult
from tests.factories import (
    ActionFactory,
    KpiFactory,
    KpiReadingFactory,
    OrganisationFactory,
    ThemeFactory,
)

FIXED_NOW = datetime.datetime(2010, 9, 20, 12, 0, tzinfo=REPORTING_TZ)
MIN = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


@dataclass
class Dataset:
    now: datetime.datetime
    today: datetime.date
    start: datetime.date
    end: datetime.date
    support: Queue
    ministry: Queue
    topics: dict[str, Topic]
    enquiries: dict[str, Enquiry]
    actions: dict[str, Action]

    def scope(self, *, queue: Queue | None = None, interval: str = "day", basis="enquiry"):
        queues = [queue] if queue else [self.support, self.ministry, self.press]
        return Scope(
            queues=queues,
            queue=queue,
            start=self.start,
            end=self.end,
            interval=interval,
            basis=basis,
            period="custom",
            now=self.now,
        )

    @property
    def press(self) -> Queue:
        return Queue.objects.get(code="press")

    def query(self, **extra) -> dict:
        return {
            "period": "custom",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            **extra,
        }


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=REPORTING_TZ)


def make_enquiry(queue: Queue, received_at: datetime.datetime, category=None, **fields) -> Enquiry:
    number = next_reference_numbers(1)[0]
    enquiry = Enquiry(
        reference=format_reference(queue.reference_prefix, received_at.year, number),
        queue=queue,
        channel=queue.default_channel,
        received_at=received_at,
        subject=fields.pop("subject", "Henvendelse"),
        category=category,
        team=queue.team,
        **fields,
    )
    enquiry.save()
    return enquiry


def make_dataset(now: datetime.datetime) -> Dataset:
    today = local_day(now)

    def day(back: int) -> datetime.date:
        return today - datetime.timedelta(days=back)

    support = Queue.objects.get(code="support")
    ministry = Queue.objects.get(code="ministry")
    category = {
        "password": Category.objects.get(
            topic__queue=support, topic__code="midlertidig-adgangskode", code="ikke-modtaget"
        ),
        "activation": Category.objects.get(
            topic__queue=support, topic__code="aktivering", code="fejl"
        ),
        "forgotten": Category.objects.filter(
            topic__queue=support, topic__code="glemt-adgangskode"
        ).first(),
    }
    topics = {name: c.topic for name, c in category.items()}
    resolved, closed = Enquiry.Status.RESOLVED, Enquiry.Status.CLOSED
    e = {}
    received = at(day(14), 9)
    e["E1"] = make_enquiry(
        support,
        received,
        category["password"],
        status=resolved,
        first_responded_at=received + 10 * MIN,
        resolved_at=received + 2 * HOUR,
        resolution_due_at=received + 24 * HOUR,
    )
    received = at(day(13), 10)
    e["E2"] = make_enquiry(
        support,
        received,
        category["password"],
        status=closed,
        first_responded_at=received + 20 * MIN,
        resolved_at=received + 48 * HOUR,
        closed_at=received + 49 * HOUR,
        resolution_due_at=received + 24 * HOUR,
    )
    received = at(day(12), 8)
    e["E3"] = make_enquiry(
        support,
        received,
        category["activation"],
        status=resolved,
        first_responded_at=received + 40 * MIN,
        resolved_at=received + 6 * HOUR,
        resolution_due_at=received + 48 * HOUR,
    )
    e["E3"].additional_topics.add(topics["forgotten"])
    received = at(day(7), 12)
    e["E4"] = make_enquiry(
        support,
        received,
        category["activation"],
        status=Enquiry.Status.IN_PROGRESS,
        first_responded_at=received + 2 * HOUR,
        resolution_due_at=at(day(5), 12),
        escalation_level=2,
    )
    e["E5"] = make_enquiry(
        support,
        at(day(2), 10),
        category["forgotten"],
        first_response_due_at=at(day(1), 10),
        resolution_due_at=now + 48 * HOUR,
        escalation_level=1,
    )
    received = at(day(1), 23, 30)
    e["E6"] = make_enquiry(
        support,
        received,
        category["password"],
        status=Enquiry.Status.IN_PROGRESS,
        first_responded_at=received + 15 * MIN,
        resolution_due_at=now + 48 * HOUR,
    )
    received = at(day(10), 9)
    e["E10"] = make_enquiry(
        support,
        received,
        None,
        status=Enquiry.Status.WAITING,
        first_responded_at=received + 60 * MIN,
        resolution_due_at=at(day(8), 12),
        sla_paused_at=at(day(9), 12),
    )
    e["E7"] = make_enquiry(support, at(day(0), 0, 30), category["password"])
    e["E8"] = make_enquiry(support, at(day(15), 23, 59), category["password"])
    ministry_topic = Category.objects.filter(topic__queue=ministry).first()
    e["M1"] = make_enquiry(ministry, at(day(3), 11), ministry_topic)

    escalated = EnquiryEvent.Kind.ESCALATED
    for name, level in [("E4", 1), ("E4", 2), ("E5", 1), ("E7", 1)]:
        EnquiryEvent.objects.create(
            enquiry=e[name], kind=escalated, old_value=str(level - 1), new_value=str(level)
        )
    # Reopened and escalated to level 1 again: E4 still counts once per
    # level, as the list's `escalated` filter shows it once.
    EnquiryEvent.objects.create(enquiry=e["E4"], kind=EnquiryEvent.Kind.STATUS, new_value="x")
    EnquiryEvent.objects.create(enquiry=e["E4"], kind=escalated, old_value="0", new_value="1")

    rebuild_topic_shares(day(20), today, now=now)

    danid = OrganisationFactory(code="danid", name="DanID", kind="operator")
    support_theme = ThemeFactory(code="support", name_da="Support", name_en="Support")
    communication = ThemeFactory(
        code="kommunikation", name_da="Kommunikation", name_en="Communication"
    )
    actions = {
        "A1": ActionFactory(
            title="Flere medarbejdere", theme=support_theme, owner=danid, status="done"
        ),
        "A2": ActionFactory(
            title="Ny telefonmenu",
            theme=support_theme,
            owner=danid,
            status="in_progress",
            due_phrase="",
            due_start=day(30),
            due_end=day(19),
        ),
        "A3": ActionFactory(
            title="Nye vejledninger", theme=communication, owner=danid, status="planned"
        ),
        "A4": ActionFactory(
            title="Pjece til ældre",
            theme=communication,
            owner=danid,
            status="proposed",
            due_phrase="",
            due_start=day(10),
            due_end=day(10),
        ),
        "A5": ActionFactory(
            title="Opgivet idé",
            theme=support_theme,
            owner=danid,
            status="cancelled",
            due_phrase="",
            due_start=day(40),
            due_end=day(40),
        ),
    }
    staff = KpiFactory(action=actions["A1"], metric="Medarbejdere", baseline=60, target=270)
    KpiReadingFactory(kpi=staff, measured_on=datetime.date(2010, 7, 1), value=60)
    KpiReadingFactory(kpi=staff, measured_on=datetime.date(2010, 11, 1), value=270)
    lines = KpiFactory(
        action=actions["A1"], metric="Telefonlinjer", unit="linjer", baseline=60, target=120
    )
    KpiReadingFactory(kpi=lines, measured_on=datetime.date(2010, 7, 1), value=60)
    KpiReadingFactory(kpi=lines, measured_on=datetime.date(2010, 9, 1), value=90)

    SurveyResult.objects.create(
        source="A&B Analyse for kommunen",
        published_on=datetime.date(2010, 11, 1),
        respondents=1426,
        share_satisfied=Decimal("77.0"),
    )
    SurveyResult.objects.create(
        source="M3 med MEC for DanID",
        published_on=datetime.date(2010, 11, 20),
        respondents=1500,
        base=713,
        share_satisfied=Decimal("81.0"),
    )
    for name, score, when in [
        ("E1", 5, at(day(14), 12)),
        ("E2", 2, at(day(11), 9)),
        ("E3", 4, at(day(12), 15)),
        ("M1", 1, at(day(3), 12)),
        ("E8", 3, at(day(15), 12)),
    ]:
        EnquiryRating.objects.create(enquiry=e[name], score=score, source="agent", recorded_at=when)

    def alert(queue, topic, status):
        PatternAlert.objects.create(
            queue=queue,
            level="topic",
            topic=topic,
            key=f"topic:{topic.pk}:{status}",
            kind="volume",
            week_start=day(7),
            observed=30,
            baseline=5.0,
            score=11.0,
            share=50.0,
            raised_at=now,
            last_detected_on=day(1),
            status=status,
        )

    alert(support, topics["password"], PatternAlert.Status.OPEN)
    alert(support, topics["activation"], PatternAlert.Status.DISMISSED)
    alert(ministry, ministry_topic.topic, PatternAlert.Status.OPEN)

    return Dataset(
        now=now,
        today=today,
        start=day(14),
        end=day(1),
        support=support,
        ministry=ministry,
        topics=topics,
        enquiries=e,
        actions=actions,
    )
