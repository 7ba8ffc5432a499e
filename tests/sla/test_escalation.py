"""Escalation of enquiries past a deadline: levels, recipients, exactly once."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enquiries import escalation, services
from enquiries.models import Enquiry, EnquiryEvent, Notification, SlaPolicy
from enquiries.notifications import deliver_notifications
from tests.factories import TeamFactory
from tests.sla.fixtures import at

Status = Enquiry.Status
Kind = EnquiryEvent.Kind
MONDAY_9 = at(2010, 11, 1, 9)
# Support, normal priority: resolution due Thursday 09:00; level 2 follows
# level 1 after 240 business minutes.
THURSDAY_NOON = at(2010, 11, 4, 12)
LEVEL_2_DUE = at(2010, 11, 4, 16)


@pytest.fixture
def letter(support, policies, personas):
    def make(**kwargs):
        kwargs.setdefault("subject", "Brevet er ikke kommet")
        kwargs.setdefault("received_at", MONDAY_9)
        return services.register_enquiry(support, by=personas["agent"], channel="letter", **kwargs)

    return make


def sweep(now, **kwargs):
    return escalation.escalate_overdue_enquiries(now=now, **kwargs)


def escalations(enquiry):
    return list(
        enquiry.events.filter(kind=Kind.ESCALATED).values_list("new_value", "actor", "new_label")
    )


def test_first_level_notifies_the_team_lead_by_mail_after_the_sweep(letter, lead):
    enquiry = letter()

    assert sweep(THURSDAY_NOON) == {1: 1, 2: 0}

    enquiry.refresh_from_db()
    assert enquiry.escalation_level == 1
    assert enquiry.escalated_at == THURSDAY_NOON
    assert enquiry.next_escalation_at == LEVEL_2_DUE
    assert escalations(enquiry) == [("1", None, str(lead))]
    # Written to the outbox in the claim's transaction, sent only afterwards.
    assert mail.outbox == []
    assert deliver_notifications(now=THURSDAY_NOON) == 1
    (message,) = mail.outbox
    assert message.to == [lead.email]
    assert enquiry.reference in message.subject
    assert "team lead" in message.body
    assert Notification.objects.get().sent_at is not None


def test_sweep_twice_escalates_once(letter, lead):
    enquiry = letter()

    sweep(THURSDAY_NOON)
    assert sweep(THURSDAY_NOON) == {1: 0, 2: 0}
    deliver_notifications(now=THURSDAY_NOON)
    assert deliver_notifications(now=THURSDAY_NOON) == 0

    assert len(escalations(enquiry)) == 1
    assert len(mail.outbox) == 1


def test_first_response_breach_is_named_in_the_event(letter, lead):
    enquiry = letter()

    sweep(at(2010, 11, 1, 14))

    assert "first response" in enquiry.events.get(kind=Kind.ESCALATED).text


def test_second_level_notifies_the_queue_manager_after_the_delay(letter, lead, queue_manager):
    enquiry = letter()
    sweep(THURSDAY_NOON)

    assert sweep(LEVEL_2_DUE - datetime.timedelta(minutes=1)) == {1: 0, 2: 0}
    assert sweep(LEVEL_2_DUE) == {1: 0, 2: 1}

    enquiry.refresh_from_db()
    assert enquiry.escalation_level == 2
    assert [level for level, _actor, _name in escalations(enquiry)] == ["1", "2"]
    deliver_notifications(now=LEVEL_2_DUE)
    assert [m.to for m in mail.outbox] == [[lead.email], [queue_manager.email]]
    assert "queue manager" in mail.outbox[1].body
    assert sweep(at(2010, 12, 1, 12)) == {1: 0, 2: 0}


def test_manager_delay_comes_from_the_policy(letter, support, lead, queue_manager):
    SlaPolicy.objects.filter(queue=support, priority=Enquiry.Priority.NORMAL).update(
        manager_delay_minutes=60
    )
    enquiry = letter()

    sweep(THURSDAY_NOON)

    enquiry.refresh_from_db()
    assert enquiry.next_escalation_at == at(2010, 11, 4, 13)


def test_manager_delay_defaults_to_the_setting(letter, support, lead, settings):
    settings.SLA_MANAGER_DELAY_MINUTES = 480
    SlaPolicy.objects.filter(queue=support).update(manager_delay_minutes=None)
    enquiry = letter()

    sweep(THURSDAY_NOON)

    enquiry.refresh_from_db()
    assert enquiry.next_escalation_at == at(2010, 11, 5, 12)


def test_no_second_level_once_the_deadline_is_no_longer_passed(letter, lead, personas):
    enquiry = letter()
    sweep(THURSDAY_NOON)

    # Low priority: resolution in 5 days, so due the next Monday.
    services.update_enquiry(
        enquiry, by=personas["agent"], changes={"priority": Enquiry.Priority.LOW}
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(first_responded_at=MONDAY_9)

    assert sweep(LEVEL_2_DUE) == {1: 0, 2: 0}


def test_enquiry_waiting_for_the_citizen_is_not_escalated(letter, lead, personas):
    enquiry = letter()
    agent = personas["agent"]
    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent, now=at(2010, 11, 1, 10))
    services.transition_enquiry(enquiry, to=Status.WAITING, by=agent, now=at(2010, 11, 4, 12))

    assert sweep(at(2010, 11, 5, 12)) == {1: 0, 2: 0}


def test_resolved_enquiry_is_not_escalated_further(letter, lead, queue_manager, personas):
    enquiry = letter()
    sweep(THURSDAY_NOON)

    services.transition_enquiry(
        enquiry, to=Status.RESOLVED, by=personas["agent"], resolution="Svar sendt"
    )

    assert sweep(LEVEL_2_DUE) == {1: 0, 2: 0}
    assert len(escalations(enquiry)) == 1


def test_reopened_enquiry_escalates_again_after_its_new_deadline(letter, lead, personas):
    agent = personas["agent"]
    enquiry = letter()
    sweep(THURSDAY_NOON)
    services.transition_enquiry(
        enquiry, to=Status.RESOLVED, by=agent, resolution="Svar", now=at(2010, 11, 4, 13)
    )
    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent, now=at(2010, 11, 8, 9))

    assert sweep(at(2010, 11, 11, 8, 59)) == {1: 0, 2: 0}
    assert sweep(at(2010, 11, 11, 9, 1)) == {1: 1, 2: 0}
    assert [level for level, _actor, _name in escalations(enquiry)] == ["1", "1"]


def test_escalation_without_a_team_lead_is_recorded_without_mail(letter, support):
    support.team = TeamFactory(name="Uden leder")
    support.save()
    enquiry = letter()

    assert sweep(THURSDAY_NOON) == {1: 1, 2: 0}

    assert "no team lead" in enquiry.events.get(kind=Kind.ESCALATED).text
    assert not Notification.objects.exists()


def test_escalate_enquiry_escalates_only_that_one(letter, lead):
    first, second = letter(), letter()

    assert escalation.escalate_enquiry(first, now=THURSDAY_NOON) == [1]
    assert escalation.escalate_enquiry(first, now=THURSDAY_NOON) == []

    second.refresh_from_db()
    assert second.escalation_level == 0
    assert sweep(THURSDAY_NOON) == {1: 1, 2: 0}


def test_sweep_works_in_bounded_batches(letter, lead):
    for _ in range(5):
        letter()

    assert sweep(THURSDAY_NOON, batch_size=2, max_batches=2) == {1: 4, 2: 0}
    assert sweep(THURSDAY_NOON, batch_size=2, max_batches=2) == {1: 1, 2: 0}


@pytest.mark.parametrize("count", [1, 25])
def test_sweep_costs_the_same_queries_for_1_and_25_enquiries(letter, lead, count):
    for _ in range(count):
        letter()

    with CaptureQueriesContext(connection) as queries:
        assert sweep(THURSDAY_NOON) == {1: count, 2: 0}

    # Level 1 batch: select+lock, policies, claim with level 2's due time,
    # read as values, its queues and teams, the dashboard's dirty days
    # (look, mark), events, outbox; then one look for level 2 (plus the
    # savepoints around each batch). Once per recipient, not per row: their
    # permissions (own, by group), roles and teams, to check that they can
    # open what they are sent.
    names = [q["sql"].split()[0] for q in queries.captured_queries]
    assert names.count("SELECT") == 7 + 4
    assert names.count("UPDATE") == 1
    assert names.count("INSERT") == 3


def test_transient_mail_error_is_retried_once_the_claim_is_stale(letter, lead, settings):
    from tests.sla.mailbackends import FlakyBackend

    settings.EMAIL_BACKEND = "tests.sla.mailbackends.FlakyBackend"
    FlakyBackend.failures = 1
    letter()
    sweep(THURSDAY_NOON)

    assert deliver_notifications(now=THURSDAY_NOON) == 0
    notification = Notification.objects.get()
    assert "unexpectedly closed" in notification.last_error
    assert deliver_notifications(now=THURSDAY_NOON + datetime.timedelta(minutes=5)) == 0
    assert deliver_notifications(now=THURSDAY_NOON + datetime.timedelta(minutes=11)) == 1

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 2


def test_mail_gives_up_after_the_maximum_attempts(letter, lead, settings):
    from tests.sla.mailbackends import FlakyBackend

    settings.EMAIL_BACKEND = "tests.sla.mailbackends.FlakyBackend"
    FlakyBackend.failures = 100
    letter()
    sweep(THURSDAY_NOON)

    for attempt in range(Notification.MAX_ATTEMPTS + 2):
        deliver_notifications(now=THURSDAY_NOON + attempt * datetime.timedelta(minutes=11))

    assert Notification.objects.get().attempts == Notification.MAX_ATTEMPTS
    FlakyBackend.failures = 0
