"""A small, varied demo set of enquiries for a local installation.

Citizens and subjects are in seed/data/demo_desk.json. Enquiries are
registered and moved through the enquiries' services; the fictitious
citizens are created directly (no service registers a citizen on its own).
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from enquiries import services
from enquiries.models import Category, Citizen, Enquiry, Queue, Topic
from seed.files import read

_DATA = read("demo_desk.json")
# Fictitious citizens; the CPR numbers are valid in form and date only.
DEMO_CITIZENS: list[dict] = _DATA["citizens"]
# topic code: the subject of a demo enquiry of that topic.
SUBJECTS: dict[str, str] = _DATA["subjects"]


# The demo desk counts as there while it has an enquiry of the last two
# weeks; older ones (the 2010 history, or a desk of a month ago) do not.
DEMO_DAYS = 14


def has_recent_enquiries(now: datetime.datetime) -> bool:
    """An enquiry was received in the last DEMO_DAYS days."""
    since = now - datetime.timedelta(days=DEMO_DAYS)
    return Enquiry.objects.filter(received_at__gte=since, received_at__lte=now).exists()


def _demo_citizens() -> list[Citizen]:
    """The fictitious citizens, reused when they exist (by CPR number)."""
    citizens = []
    for data in DEMO_CITIZENS:
        fields = dict(data)
        cpr = fields.pop("cpr")
        citizen = Citizen.objects.with_cpr(cpr).order_by("pk").first()
        if citizen is None:
            citizen = Citizen(**fields)
            citizen.set_cpr(cpr)
            citizen.save()
        citizens.append(citizen)
    return citizens


# The transitions that take a new enquiry to each status.
STEPS: dict[str, list[str]] = {
    "new": [],
    "triaged": ["triaged"],
    "in_progress": ["in_progress"],
    "waiting": ["in_progress", "waiting"],
    "resolved": ["in_progress", "resolved"],
    "closed": ["in_progress", "resolved", "closed"],
}


@dataclass(frozen=True)
class _Desk:
    """What the demo enquiries are drawn from, looked up once."""

    rng: random.Random
    now: datetime.datetime
    citizens: list[Citizen]
    agents: list[User]
    queues: dict[str, Queue]
    categories: list[Category]


@transaction.atomic
def create_demo_enquiries(
    count: int = 40, seed: int = 2010, *, now: datetime.datetime | None = None
) -> int:
    """Log `count` enquiries over the last two weeks; skipped while some are recent.

    Created beside any history (the 2010 profile), so the desk of today is
    always there; idempotent while the desk is recent. Returns the count.
    """
    now = now or timezone.now()
    if has_recent_enquiries(now):
        return 0
    desk = _Desk(
        rng=random.Random(seed),
        now=now,
        citizens=_demo_citizens(),
        agents=list(User.objects.filter(username__in=["agent", "agent2", "letters"])),
        queues={q.code: q for q in Queue.objects.all()},
        categories=list(Category.objects.active().select_related("topic__queue")),
    )
    for i in range(count):
        _create_demo_enquiry(desk, i)
    return count


def _create_demo_enquiry(desk: _Desk, i: int) -> None:
    """Register the `i`th demo enquiry and move it along to a drawn status."""
    rng, queues = desk.rng, desk.queues
    queue = queues["support"] if i % 5 else queues[rng.choice(["ministry", "press"])]
    category = rng.choice([c for c in desk.categories if c.topic.queue_id == queue.pk])
    received = desk.now - datetime.timedelta(minutes=rng.randint(5, 14 * 24 * 60))
    by = rng.choice(desk.agents)
    extra = _extra_topics(desk, queue)
    enquiry = services.register_enquiry(
        queue,
        by=by,
        subject=SUBJECTS.get(category.topic.code, category.name_da),
        description=f"{category.topic.name_da}: {category.name_da}.",
        received_at=received,
        citizen=rng.choice(desk.citizens) if queue.code != "press" else None,
        category=category,
        additional_topics=extra,
        priority=rng.choice([1, 2, 2, 2, 3, 4]),
        # Only to an agent of the queue's team (services refuse others).
        assignee=by if i % 3 and by.team_id == queue.team_id else None,
    )
    for step in STEPS[_demo_status(desk, received)]:
        resolution = "Borgeren fik vejledning." if step == "resolved" else None
        services.transition_enquiry(enquiry, to=step, by=by, resolution=resolution)


def _extra_topics(desk: _Desk, queue: Queue) -> list[Topic]:
    """Up to two more topics for a ministry letter (drawn for every queue)."""
    return [
        c.topic
        for c in desk.rng.sample(desk.categories, 2)
        if c.topic.queue_id == queue.pk and queue.code == "ministry"
    ]


def _demo_status(desk: _Desk, received: datetime.datetime) -> str:
    """The status a demo enquiry received at `received` has reached by now."""
    if desk.now - received > datetime.timedelta(days=3):
        # Most of last week's enquiries are done by now; one in six is
        # left over, for the Deadlines page and the first sweep.
        return desk.rng.choice(["in_progress", "resolved", "closed", "closed", "closed", "closed"])
    return desk.rng.choice(["new", "triaged", "in_progress", "waiting", "resolved", "closed"])
