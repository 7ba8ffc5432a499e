"""The escalation claim at its edges: what is enqueued, logged and scheduled.

The e-mail leaves through one delivery task sent after commit, only when
something was escalated; the last level schedules no further one; a sweep
that finds nothing costs one look per level.
"""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enquiries import escalation, services
from enquiries.models import Category, Enquiry, Queue, SlaPolicy
from tests.sla.fixtures import at

DELIVER = "enquiries.tasks.deliver_notifications"
MONDAY_9 = at(2010, 11, 1, 9)
THURSDAY_NOON = at(2010, 11, 4, 12)
LEVEL_2_DUE = at(2010, 11, 4, 16)


@pytest.fixture
def letter(support, policies, personas):
    def make(**kwargs):
        return services.register_enquiry(
            support,
            by=personas["agent"],
            channel="letter",
            subject="Brevet er ikke kommet",
            received_at=MONDAY_9,
            **kwargs,
        )

    return make


def deliveries(broker) -> int:
    return sum(1 for message in broker.published() if message["task"] == DELIVER)


def test_a_sweep_that_escalates_sends_one_delivery_after_commit(
    letter, lead, broker, django_capture_on_commit_callbacks
):
    letter()
    letter()
    before = deliveries(broker)

    with django_capture_on_commit_callbacks(execute=True):
        assert escalation.escalate_overdue_enquiries(now=THURSDAY_NOON) == {1: 2, 2: 0}

    assert deliveries(broker) == before + 1


def test_a_sweep_that_finds_nothing_sends_nothing_and_logs_nothing(
    letter, lead, broker, django_capture_on_commit_callbacks, caplog
):
    letter()
    before = deliveries(broker)

    with (
        caplog.at_level(logging.INFO, logger="enquiries.escalation"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert escalation.escalate_overdue_enquiries(now=MONDAY_9) == {1: 0, 2: 0}

    assert deliveries(broker) == before
    assert not caplog.records


def test_a_sweep_logs_what_it_escalated(letter, lead, caplog):
    letter()

    with caplog.at_level(logging.INFO, logger="enquiries.escalation"):
        escalation.escalate_overdue_enquiries(now=THURSDAY_NOON)

    assert [r.getMessage() for r in caplog.records] == ["Escalated enquiries: {1: 1, 2: 0}"]


@pytest.mark.parametrize(("now", "levels", "sent"), [(MONDAY_9, [], 0), (THURSDAY_NOON, [1], 1)])
def test_escalating_one_enquiry_sends_a_delivery_only_if_it_escalated(
    letter, lead, broker, django_capture_on_commit_callbacks, now, levels, sent
):
    enquiry = letter()
    before = deliveries(broker)

    with django_capture_on_commit_callbacks(execute=True):
        assert escalation.escalate_enquiry(enquiry, now=now) == levels

    assert deliveries(broker) == before + sent


def test_the_last_level_schedules_no_further_escalation(letter, lead, queue_manager):
    enquiry = letter()
    escalation.escalate_overdue_enquiries(now=THURSDAY_NOON)

    escalation.escalate_overdue_enquiries(now=LEVEL_2_DUE)

    enquiry.refresh_from_db()
    assert enquiry.escalation_level == 2
    assert enquiry.escalated_at == LEVEL_2_DUE
    assert enquiry.next_escalation_at is None


def test_a_sweep_that_finds_nothing_costs_one_look_per_level(letter, lead):
    letter()

    with CaptureQueriesContext(connection) as queries:
        escalation.escalate_overdue_enquiries(now=MONDAY_9)

    names = [q["sql"].split()[0] for q in queries.captured_queries]
    assert names.count("SELECT") == 2
    assert "UPDATE" not in names and "INSERT" not in names


def test_recipients_are_the_team_lead_then_the_queue_manager(letter, lead, queue_manager):
    enquiry = letter()

    assert escalation.recipient_for(enquiry, 1) == lead
    assert escalation.recipient_for(enquiry, 2) == queue_manager
    Enquiry.objects.filter(pk=enquiry.pk).update(team=None)
    enquiry.refresh_from_db()
    # Without a team of its own the queue's team's lead is asked.
    assert escalation.recipient_for(enquiry, 1) == lead


def test_the_next_level_follows_each_enquirys_own_queue_policy(letter, lead, support, policies):
    SlaPolicy.objects.filter(queue=support).update(manager_delay_minutes=60)
    # No enquiry id may equal a queue id: the policies must be found by queue.
    queue_ids = set(Queue.objects.values_list("pk", flat=True))
    made = [letter() for _ in range(len(queue_ids) + 2)]
    Enquiry.objects.filter(pk__in=queue_ids).delete()
    kept = [enquiry for enquiry in made if enquiry.pk not in queue_ids]

    escalation.escalate_overdue_enquiries(now=THURSDAY_NOON)

    for enquiry in kept:
        enquiry.refresh_from_db()
        assert enquiry.next_escalation_at == at(2010, 11, 4, 13)


def test_a_category_policy_overrides_the_queues_for_the_next_level(letter, lead, support, policies):
    own, other = Category.objects.filter(topic__queue=support)[:2]
    queue_wide = SlaPolicy.objects.get(
        queue=support, priority=Enquiry.Priority.NORMAL, category=None
    )
    queue_wide.manager_delay_minutes = 60
    queue_wide.save()
    queue_wide.pk, queue_wide.category, queue_wide.manager_delay_minutes = None, own, 30
    queue_wide.save()
    with_own, without = letter(category=own), letter(category=other)

    assert escalation.escalate_overdue_enquiries(now=THURSDAY_NOON) == {1: 2, 2: 0}

    with_own.refresh_from_db()
    without.refresh_from_db()
    assert with_own.next_escalation_at == at(2010, 11, 4, 12, 30)
    assert without.next_escalation_at == at(2010, 11, 4, 13)
