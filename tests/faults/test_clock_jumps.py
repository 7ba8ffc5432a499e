"""The clock jumps while the sweeps run: DST changes and a clock set back.

The beat sweeps every few minutes whatever the wall clock says. Across the
night of Sunday 25 October 2026, Copenhagen's clock runs 02:00-03:00 twice
(CEST, then CET); an administrator (or NTP) may also set a server's clock
back. Each enquiry must still be escalated once per level, at the first
sweep after its deadline, and its e-mail sent once.
"""

import datetime

import pytest
from django.core import mail

from enquiries import escalation, services
from enquiries.models import Enquiry, EnquiryEvent
from enquiries.notifications import deliver_notifications
from tests.sla.fixtures import at

UTC = datetime.UTC
pytestmark = pytest.mark.django_db


def sweep(now: datetime.datetime) -> dict[int, int]:
    counts = escalation.escalate_overdue_enquiries(now=now)
    deliver_notifications(now=now)
    return counts


def sweeps(start: datetime.datetime, end: datetime.datetime, step=datetime.timedelta(minutes=5)):
    moment = start
    while moment <= end:
        yield moment
        moment += step


@pytest.mark.parametrize(
    "received",
    [
        # Friday afternoon before the autumn change: due Monday, in CET.
        at(2026, 10, 23, 15, 30),
        # Friday afternoon before the spring change (28 March 2027): due in CEST.
        at(2027, 3, 26, 15, 30),
    ],
    ids=["autumn", "spring"],
)
def deadline(enquiry: Enquiry) -> datetime.datetime:
    """The first unmet deadline (a letter's first answer is still owed)."""
    return min(enquiry.first_response_due_at, enquiry.resolution_due_at)


def run_sweeps(moments) -> dict[int, datetime.datetime]:
    levels_at = {}
    for now in moments:
        for level, count in sweep(now).items():
            if count:
                assert level not in levels_at, f"level {level} twice"
                levels_at[level] = now
    return levels_at


@pytest.mark.parametrize(
    "received",
    [
        # A letter on Friday afternoon before the autumn change (Sunday 25
        # October 2026, 03:00 CEST -> 02:00 CET): due after the weekend.
        at(2026, 10, 23, 15, 30),
        # ... and before the spring change (Sunday 28 March 2027).
        at(2027, 3, 26, 15, 30),
    ],
    ids=["autumn", "spring"],
)
def test_sweeps_every_five_minutes_across_the_dst_night_escalate_each_level_once(
    support, policies, personas, lead, queue_manager, received
):
    enquiry = services.register_enquiry(
        support,
        by=personas["agent"],
        subject="Kan ikke logge på",
        channel="letter",
        received_at=received,
    )
    first_due = deadline(enquiry)
    assert first_due - received > datetime.timedelta(days=2)  # over the DST night

    # The beat's moments are aware; the local wall clock of the autumn run
    # goes from 02:55 CEST to 02:00 CET between two of them.
    levels_at = run_sweeps(sweeps(received, first_due + datetime.timedelta(minutes=10)))
    enquiry.refresh_from_db()
    second_due = enquiry.next_escalation_at
    hour = datetime.timedelta(hours=1)
    levels_at |= run_sweeps(sweeps(second_due - hour, second_due + hour / 6))

    assert sorted(levels_at) == [1, 2]
    # Each level at the first sweep after its moment, not an hour off.
    assert first_due < levels_at[1] <= first_due + datetime.timedelta(minutes=5)
    assert second_due <= levels_at[2] < second_due + datetime.timedelta(minutes=5)
    assert enquiry.events.filter(kind=EnquiryEvent.Kind.ESCALATED).count() == 2
    # One e-mail per level, to the team lead and then the queue's manager.
    assert [(m.subject.split("] ")[1], m.to) for m in mail.outbox] == [
        ("Deadline passed: escalation level 1", [lead.email]),
        ("Deadline passed: escalation level 2", [queue_manager.email]),
    ]


def test_a_clock_set_back_an_hour_after_an_escalation_repeats_nothing(
    support, policies, personas, lead
):
    enquiry = services.register_enquiry(
        support,
        by=personas["agent"],
        subject="Nøglekort ikke modtaget",
        channel="letter",
        received_at=at(2026, 10, 23, 15, 30),
    )
    due = deadline(enquiry) + datetime.timedelta(seconds=1)
    assert sweep(due) == {1: 1, 2: 0}
    sent = len(mail.outbox)

    # The clock goes back an hour, then forward again past the same moment.
    for now in sweeps(due - datetime.timedelta(hours=1), due + datetime.timedelta(minutes=30)):
        assert sweep(now) == {1: 0, 2: 0}

    enquiry.refresh_from_db()
    assert enquiry.escalation_level == 1
    assert enquiry.events.filter(kind=EnquiryEvent.Kind.ESCALATED).count() == 1
    assert len(mail.outbox) == sent
    assert Enquiry.objects.count() == 1
