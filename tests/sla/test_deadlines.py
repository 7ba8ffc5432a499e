"""Deadlines set on create and moved by priority, queue, category and pauses."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from enquiries import services
from enquiries.models import Category, Enquiry, EnquiryEvent, SlaPolicy
from seed.reference import SLA_POLICIES, load_sla_policies
from tests.sla.fixtures import at

Status = Enquiry.Status
Priority = Enquiry.Priority
Kind = EnquiryEvent.Kind
HOUR = datetime.timedelta(hours=1)
MONDAY_9 = at(2010, 11, 1, 9)


def letter(queue, by, **kwargs):
    kwargs.setdefault("subject", "Brevet er ikke kommet")
    kwargs.setdefault("received_at", MONDAY_9)
    return services.register_enquiry(queue, by=by, channel="letter", **kwargs)


def test_register_sets_deadlines_from_the_queue_policy(support, policies, personas):
    # Support, normal priority: first response in 4 h, resolution in 3 days.
    enquiry = letter(support, personas["agent"])

    assert enquiry.first_response_due_at == at(2010, 11, 1, 13)
    assert enquiry.resolution_due_at == at(2010, 11, 4, 9)
    enquiry.refresh_from_db()
    assert enquiry.resolution_due_at == at(2010, 11, 4, 9)
    assert not enquiry.events.filter(kind=Kind.DEADLINE).exists()


def test_the_business_hours_in_settings_set_the_deadlines(support, policies, personas, settings):
    # 09:00-12:00 on Monday to Saturday, no holidays: 4 h from Monday 9:00 is
    # Tuesday 10:00, and 3 days of 8 h (24 h) are 8 such days: Tuesday 9 Nov.
    settings.SLA_CALENDAR = {
        **settings.SLA_CALENDAR,
        "WORKDAYS": [0, 1, 2, 3, 4, 5],
        "OPENS": "09:00",
        "CLOSES": "12:00",
        "HOLIDAY_COUNTRY": "",
    }

    enquiry = letter(support, personas["agent"])

    assert enquiry.first_response_due_at == at(2010, 11, 2, 10)
    assert enquiry.resolution_due_at == at(2010, 11, 9, 12)


def test_phone_enquiry_meets_its_first_response_at_once(support, policies, personas):
    enquiry = services.register_enquiry(
        support, by=personas["agent"], subject="Opkald", channel="phone", received_at=MONDAY_9
    )

    assert enquiry.first_responded_at == MONDAY_9
    assert not enquiry.is_overdue(at(2010, 11, 3, 9))
    assert enquiry.is_overdue(at(2010, 11, 4, 10))


def test_category_policy_wins_over_the_queue_policy(support, category, policies, personas):
    SlaPolicy.objects.create(
        queue=support,
        priority=Priority.NORMAL,
        category=category,
        first_response_minutes=60,
        resolution_minutes=480,
    )

    enquiry = letter(support, personas["agent"], category=category)

    assert enquiry.first_response_due_at == at(2010, 11, 1, 10)
    assert enquiry.resolution_due_at == at(2010, 11, 2, 9)


def test_no_policy_means_no_deadlines(support, personas):
    enquiry = letter(support, personas["agent"])

    assert enquiry.first_response_due_at is None
    assert enquiry.resolution_due_at is None
    assert not enquiry.is_overdue(at(2030, 1, 1))


def test_priority_change_moves_the_deadlines_onto_the_timeline(support, policies, personas):
    enquiry = letter(support, personas["agent"])

    services.update_enquiry(enquiry, by=personas["agent"], changes={"priority": Priority.URGENT})

    enquiry.refresh_from_db()
    assert enquiry.first_response_due_at == at(2010, 11, 1, 9, 30)
    assert enquiry.resolution_due_at == at(2010, 11, 1, 13)
    event = enquiry.events.get(kind=Kind.DEADLINE)
    assert event.actor is None
    assert (event.old_value, event.new_value) == ("2010-11-04 09:00", "2010-11-01 13:00")


def test_queue_change_takes_the_new_queue_policy(taxonomy, support, policies, personas):
    enquiry = letter(support, personas["agent"])

    services.update_enquiry(enquiry, by=personas["admin"], changes={"queue": taxonomy["ministry"]})

    # Ministry letters, normal: acknowledged in 2 days, answered in 10.
    enquiry.refresh_from_db()
    assert enquiry.first_response_due_at == at(2010, 11, 3, 9)
    assert enquiry.resolution_due_at == at(2010, 11, 15, 9)


def test_category_change_recomputes_with_the_category_policy(support, category, policies, personas):
    SlaPolicy.objects.create(
        queue=support,
        priority=Priority.NORMAL,
        category=category,
        first_response_minutes=60,
        resolution_minutes=480,
    )
    enquiry = letter(support, personas["agent"])

    services.update_enquiry(enquiry, by=personas["agent"], changes={"category": category})

    enquiry.refresh_from_db()
    assert enquiry.resolution_due_at == at(2010, 11, 2, 9)


def test_new_reception_time_moves_the_deadlines(support, policies, personas):
    enquiry = letter(support, personas["agent"])

    services.update_enquiry(
        enquiry, by=personas["agent"], changes={"received_at": at(2010, 11, 2, 9)}
    )

    enquiry.refresh_from_db()
    assert enquiry.resolution_due_at == at(2010, 11, 5, 9)


def test_waiting_pauses_the_clock_and_resuming_adds_the_paused_time(support, policies, personas):
    agent = personas["agent"]
    enquiry = letter(support, agent)
    services.transition_enquiry(
        enquiry, to=Status.IN_PROGRESS, by=agent, now=at(2010, 11, 1, 9, 30)
    )
    services.transition_enquiry(enquiry, to=Status.WAITING, by=agent, now=at(2010, 11, 1, 10))

    # While paused, the deadline is compared with the moment it paused.
    friday = at(2010, 11, 5, 12)
    assert not Enquiry.objects.overdue(friday).filter(pk=enquiry.pk).exists()
    assert not enquiry.is_overdue(friday)

    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent, now=at(2010, 11, 3, 10))

    # Paused Mon 10-16, Tue, Wed 8-10: 16 business hours added to Thu 09:00.
    enquiry.refresh_from_db()
    assert enquiry.sla_paused_at is None
    assert enquiry.sla_paused_time == 16 * HOUR
    assert enquiry.resolution_due_at == at(2010, 11, 8, 9)
    event = enquiry.events.get(kind=Kind.DEADLINE)
    assert "2 working days" in event.text


def test_two_pauses_add_up(support, policies, personas):
    agent = personas["agent"]
    enquiry = letter(support, agent)
    steps = [
        (Status.IN_PROGRESS, at(2010, 11, 1, 9, 30)),
        (Status.WAITING, at(2010, 11, 1, 10)),
        (Status.IN_PROGRESS, at(2010, 11, 1, 12)),
        (Status.WAITING, at(2010, 11, 1, 14)),
        (Status.IN_PROGRESS, at(2010, 11, 2, 9)),
    ]
    for status, instant in steps:
        services.transition_enquiry(enquiry, to=status, by=agent, now=instant)

    enquiry.refresh_from_db()
    assert enquiry.sla_paused_time == 5 * HOUR
    assert enquiry.resolution_due_at == at(2010, 11, 4, 14)


def test_enquiry_breached_before_the_pause_stays_overdue(support, policies, personas):
    agent = personas["agent"]
    enquiry = letter(support, agent)
    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent, now=at(2010, 11, 1, 10))
    services.transition_enquiry(enquiry, to=Status.WAITING, by=agent, now=at(2010, 11, 4, 12))

    assert Enquiry.objects.overdue(at(2010, 11, 5, 12)).filter(pk=enquiry.pk).exists()


def test_reopening_starts_a_new_cycle_and_resets_escalation(support, policies, personas):
    agent = personas["agent"]
    enquiry = letter(support, agent)
    Enquiry.objects.filter(pk=enquiry.pk).update(escalation_level=2)
    services.transition_enquiry(
        enquiry, to=Status.RESOLVED, by=agent, resolution="Svar sendt", now=at(2010, 11, 8, 9)
    )

    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent, now=at(2010, 11, 9, 9))

    enquiry.refresh_from_db()
    assert enquiry.escalation_level == 0
    assert enquiry.sla_started_at == at(2010, 11, 9, 9)
    assert enquiry.resolution_due_at == at(2010, 11, 12, 9)
    # The first response was met in the first cycle and stays so.
    assert enquiry.first_responded_at is not None
    assert "Reopened" in enquiry.events.get(kind=Kind.DEADLINE).text


def test_resolving_cancels_a_pending_second_level(support, policies, personas):
    agent = personas["agent"]
    enquiry = letter(support, agent)
    Enquiry.objects.filter(pk=enquiry.pk).update(
        escalation_level=1, next_escalation_at=at(2010, 11, 5, 9)
    )

    services.transition_enquiry(
        enquiry, to=Status.RESOLVED, by=agent, resolution="Svar sendt", now=at(2010, 11, 5, 8)
    )

    enquiry.refresh_from_db()
    assert enquiry.next_escalation_at is None
    assert enquiry.escalation_level == 1


def test_load_sla_policies_is_idempotent_and_keeps_admin_changes(taxonomy):
    expected = sum(len(by_priority) for by_priority in SLA_POLICIES.values())

    assert load_sla_policies() == expected
    SlaPolicy.objects.filter(queue__code="press").update(resolution_minutes=999)
    assert load_sla_policies() == 0

    assert SlaPolicy.objects.count() == expected
    assert set(
        SlaPolicy.objects.filter(queue__code="press").values_list("resolution_minutes", flat=True)
    ) == {999}


def test_load_reference_data_creates_the_default_policies(db):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)

    assert set(SlaPolicy.objects.values_list("queue__code", flat=True)) == {
        "support",
        "ministry",
        "press",
    }


def test_policy_refuses_a_category_of_another_queue(taxonomy, support):
    other = Category.objects.filter(topic__queue=taxonomy["ministry"]).first()
    policy = SlaPolicy(
        queue=support,
        priority=Priority.NORMAL,
        category=other,
        first_response_minutes=60,
        resolution_minutes=120,
    )

    with pytest.raises(ValidationError) as info:
        policy.full_clean()

    assert "category" in info.value.message_dict


def test_policy_refuses_a_first_response_after_the_resolution(support):
    policy = SlaPolicy(
        queue=support, priority=Priority.LOW, first_response_minutes=600, resolution_minutes=60
    )

    with pytest.raises(ValidationError) as info:
        policy.full_clean()

    assert "first_response_minutes" in info.value.message_dict
