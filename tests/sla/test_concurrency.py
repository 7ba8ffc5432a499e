"""Exactly once under concurrency: many sweeps at once, each on its own connection.

Enquiries and overdue actions alike.

On PostgreSQL the threads really race (row locks, SKIP LOCKED, conditional
UPDATEs); on SQLite the same code runs and the database serialises it.
"""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from actions.escalation import escalate_overdue_actions
from actions.models import Action, ActionEvent, Theme
from enquiries import escalation
from enquiries.models import Enquiry, EnquiryEvent, Notification
from enquiries.notifications import deliver_notifications
from stakeholders.models import Contact, Organisation
from tests.sla.fixtures import at
from tests.sla.test_faults import REFERENCE, overdue_letter

WORKERS = 6
ENQUIRIES = 30


def run_concurrently(work, count=WORKERS):
    """Start `count` threads together on `work(i)`; re-raise the first error."""
    barrier = threading.Barrier(count)
    errors = []

    def target(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def escalated_levels():
    return sorted(
        EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.ESCALATED).values_list(
            "enquiry_id", "new_value"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_escalate_and_mail_each_enquiry_once_per_level(
    broker, support, policies, personas, lead, queue_manager
):
    enquiries = [overdue_letter(support, personas["agent"]) for _ in range(ENQUIRIES)]
    ids = [e.pk for e in enquiries]
    now = timezone.now()

    def level_one(i):
        # Half the workers sweep in small batches (a duplicated beat, a
        # redelivered task); the rest race them enquiry by enquiry, as the
        # tasks sent when an enquiry becomes overdue do.
        if i % 2:
            escalation.escalate_overdue_enquiries(now=now, batch_size=4)
        else:
            for enquiry in Enquiry.objects.filter(pk__in=ids).order_by("?"):
                escalation.escalate_enquiry(enquiry, now=now)

    run_concurrently(level_one)
    run_concurrently(lambda i: deliver_notifications(now=now, batch_size=3))

    assert escalated_levels() == sorted((pk, "1") for pk in ids)
    assert sorted(REFERENCE.search(m.subject).group() for m in mail.outbox) == sorted(
        e.reference for e in enquiries
    )
    assert {tuple(m.to) for m in mail.outbox} == {(lead.email,)}

    later = Enquiry.objects.order_by("-next_escalation_at").first().next_escalation_at
    run_concurrently(lambda i: escalation.escalate_overdue_enquiries(now=later, batch_size=4))
    run_concurrently(lambda i: deliver_notifications(now=later, batch_size=3))

    assert escalated_levels() == sorted([(pk, "1") for pk in ids] + [(pk, "2") for pk in ids])
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 2 * ENQUIRIES
    manager_mail = [m for m in mail.outbox if m.to == [queue_manager.email]]
    assert len({m.subject for m in manager_mail}) == ENQUIRIES


@pytest.mark.django_db(transaction=True)
def test_concurrent_action_sweeps_escalate_and_mail_each_action_once_per_level(
    broker, personas, settings
):
    theme = Theme.objects.create(code="teknik", name_da="Teknik")
    danid = Organisation.objects.create(code="danid", name="DanID", kind="operator")
    responsible = Contact.objects.create(
        organisation=danid, name="Projektleder", email="projekt@danid.invalid"
    )
    actions = [
        Action.objects.create(
            title=f"Handling {i}",
            theme=theme,
            owner=danid,
            responsible=responsible,
            status=Action.Status.IN_PROGRESS,
            due_phrase="medio januar 2011",
            due_start=datetime.date(2011, 1, 11),
            due_end=datetime.date(2011, 1, 20),
        )
        for i in range(ENQUIRIES)
    ]
    day_after = at(2011, 1, 21, 9)
    later = day_after + datetime.timedelta(days=settings.ACTION_ESCALATION_SECRETARIAT_AFTER_DAYS)
    secretariat = personas["secretariat"].email

    for now in (day_after, later):
        run_concurrently(lambda i, now=now: escalate_overdue_actions(now=now, batch_size=4))
        run_concurrently(lambda i, now=now: deliver_notifications(now=now, batch_size=3))

    escalated = sorted(
        ActionEvent.objects.filter(kind=ActionEvent.Kind.ESCALATED).values_list(
            "action_id", "new_value"
        )
    )
    assert escalated == sorted([(a.pk, "1") for a in actions] + [(a.pk, "2") for a in actions])
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        [("projekt@danid.invalid",)] * ENQUIRIES + [(secretariat,)] * ENQUIRIES
    )
