"""The sweep's set-based writes (PostgreSQL) write what the Python path writes.

Both paths run on the same escalated rows, each in a savepoint that is
rolled back, and their events and e-mails are compared text for text.
"""

import re

import pytest
from django.db import connection, transaction
from django.utils import translation

from enquiries import escalation, services
from enquiries.models import Enquiry, EnquiryEvent, Notification
from tests.factories import TeamFactory
from tests.sla.fixtures import at

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="INSERT ... SELECT with to_char(): PostgreSQL"
)
MONDAY_9 = at(2010, 11, 1, 9)
THURSDAY_NOON = at(2010, 11, 4, 12)


def _written(write, rows, *, level, now):
    """What `write` puts on the timeline and in the outbox, then undone."""
    with transaction.atomic():
        events_before = set(EnquiryEvent.objects.values_list("pk", flat=True))
        mails_before = set(Notification.objects.values_list("pk", flat=True))
        with translation.override("da"):
            write(rows, level=level, now=now)
        events = EnquiryEvent.objects.exclude(pk__in=events_before).order_by("enquiry_id")
        fields = ("enquiry_id", "kind", "actor_id", "created_at", "old_value", "new_value")
        fields += ("old_label", "new_label", "text")
        found_events = [tuple(getattr(e, name) for name in fields) for e in events]
        by_pk = {e.pk: e.enquiry_id for e in events}
        mails = Notification.objects.exclude(pk__in=mails_before)
        found_mails = sorted(
            (
                re.sub(r"enquiry-event:(\d+):", lambda m: f"e{by_pk[int(m[1])]}:", n.key),
                n.recipient,
                n.subject,
                n.body,
                n.created_at,
                n.sent_at,
                n.attempts,
            )
            for n in mails
        )
        transaction.set_rollback(True)
    return found_events, found_mails


@pytest.mark.django_db
def test_sql_and_python_paths_write_the_same(support, policies, personas, lead, queue_manager):
    agent = personas["agent"]
    other_team = TeamFactory(name="Andet hold")
    made = [
        services.register_enquiry(
            support,
            by=agent,
            channel="letter",
            subject="Brevet er ikke kommet",
            received_at=MONDAY_9,
        ),
        services.register_enquiry(
            support, by=agent, subject="Nøglekort spærret", received_at=MONDAY_9, priority=1
        ),
        services.register_enquiry(support, by=agent, subject="Ringer igen", received_at=MONDAY_9),
    ]
    # Quotes a CPR number (as an old row might): its e-mail must be masked,
    # which the Python path does.
    Enquiry.objects.filter(pk=made[2].pk).update(subject="Borger 010180-1234 ringer")
    assigned = made[1]
    assigned.assignee = agent
    assigned.save()
    other = made[0]
    other.team = other_team
    other.save()
    ids = sorted(e.pk for e in made)
    Enquiry.objects.filter(pk__in=ids).update(escalation_level=1)
    with translation.override("da"):
        rows = escalation._escalated_rows(ids)

    for level in (1, 2):
        python = _written(escalation._record_and_notify, rows, level=level, now=THURSDAY_NOON)
        sql = _written(escalation._record_and_notify_in_sql, rows, level=level, now=THURSDAY_NOON)
        assert sql == python
        assert len(python[0]) == 3
    assert python[1], "the manager is notified at level 2"
    assert not any("010180-1234" in body for *_, body, _c, _s, _a in python[1])
