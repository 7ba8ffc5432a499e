"""Overdue actions: to the responsible person, then the secretariat; once each."""

import datetime

import pytest
from django.core import mail

from actions import services
from actions.escalation import escalate_overdue_actions
from actions.models import Action, ActionEvent, Theme
from enquiries.models import Notification
from enquiries.notifications import deliver_notifications
from stakeholders.models import Contact, Organisation
from tests.sla.fixtures import at

# Due by mid-January 2011 ("medio januar 2011").
DUE = datetime.date(2011, 1, 20)
DAY_AFTER = at(2011, 1, 21, 9)
WEEK_AFTER = at(2011, 1, 28, 9)


@pytest.fixture
def action(db):
    danid = Organisation.objects.create(code="danid", name="DanID", kind="operator")
    contact = Contact.objects.create(
        organisation=danid, name="Projektleder", email="projekt@danid.invalid"
    )
    theme = Theme.objects.create(code="teknik", name_da="Teknik")

    def make(**fields):
        fields.setdefault("responsible", contact)
        fields.setdefault("status", Action.Status.IN_PROGRESS)
        return Action.objects.create(
            title="Alternativ løsning for de to breve",
            theme=theme,
            owner=danid,
            due_phrase="medio januar 2011",
            due_start=datetime.date(2011, 1, 11),
            due_end=DUE,
            **fields,
        )

    return make


def levels(action):
    return list(
        action.events.filter(kind=ActionEvent.Kind.ESCALATED).values_list("new_value", flat=True)
    )


def test_not_escalated_on_its_due_date(action, personas):
    action()

    assert escalate_overdue_actions(now=at(2011, 1, 20, 15)) == {1: 0, 2: 0}


def test_level_one_goes_to_the_responsible_person_once(action, personas):
    overdue = action()

    assert escalate_overdue_actions(now=DAY_AFTER) == {1: 1, 2: 0}
    assert escalate_overdue_actions(now=DAY_AFTER) == {1: 0, 2: 0}
    deliver_notifications(now=DAY_AFTER)

    overdue.refresh_from_db()
    assert overdue.escalation_level == 1
    assert levels(overdue) == ["1"]
    assert [m.to for m in mail.outbox] == [["projekt@danid.invalid"]]
    assert "medio januar 2011" in mail.outbox[0].body


def test_level_two_goes_to_the_secretariat_after_the_delay(action, personas):
    overdue = action()
    escalate_overdue_actions(now=DAY_AFTER)

    assert escalate_overdue_actions(now=WEEK_AFTER - datetime.timedelta(days=1)) == {1: 0, 2: 0}
    assert escalate_overdue_actions(now=WEEK_AFTER) == {1: 0, 2: 1}
    deliver_notifications(now=WEEK_AFTER)

    assert levels(overdue) == ["1", "2"]
    assert [m.to for m in mail.outbox][-1] == [personas["secretariat"].email]


def test_without_a_responsible_e_mail_level_one_goes_to_the_secretariat(action, personas):
    action(responsible=None)

    escalate_overdue_actions(now=DAY_AFTER)

    assert list(Notification.objects.values_list("recipient", flat=True)) == [
        personas["secretariat"].email
    ]


@pytest.mark.parametrize("status", [Action.Status.DONE, Action.Status.CANCELLED])
def test_finished_actions_are_not_escalated(action, personas, status):
    action(status=status)

    assert escalate_overdue_actions(now=WEEK_AFTER) == {1: 0, 2: 0}


def test_catching_up_after_an_outage_escalates_one_level_per_run(action, personas):
    overdue = action()

    escalate_overdue_actions(now=at(2011, 3, 1, 9))
    assert levels(overdue) == ["1"]

    escalate_overdue_actions(now=at(2011, 3, 8, 9))
    assert levels(overdue) == ["1", "2"]


def test_a_due_date_moved_later_escalates_again_once_the_new_date_passes(action, personas):
    overdue = action()
    escalate_overdue_actions(now=DAY_AFTER)

    services.update_action(
        overdue,
        by=personas["secretariat"],
        changes={"due_phrase": "ultimo februar 2011"},
        today=DAY_AFTER.date(),
    )

    overdue.refresh_from_db()
    assert overdue.escalation_level == 0
    assert escalate_overdue_actions(now=WEEK_AFTER) == {1: 0, 2: 0}
    assert escalate_overdue_actions(now=at(2011, 3, 1, 9)) == {1: 1, 2: 0}
    assert levels(overdue) == ["1", "1"]


@pytest.mark.parametrize(
    ("phrase", "level"),
    [("primo januar 2011", 1), ("20. januar 2011", 1), ("snarest muligt", 0)],
)
def test_only_a_later_due_end_sets_the_level_back(action, personas, phrase, level):
    overdue = action()
    escalate_overdue_actions(now=DAY_AFTER)

    services.update_action(
        overdue, by=personas["secretariat"], changes={"due_phrase": phrase}, today=DUE
    )

    overdue.refresh_from_db()
    assert overdue.escalation_level == level


@pytest.mark.parametrize(
    ("finished", "reopened"),
    [
        (Action.Status.DONE, Action.Status.IN_PROGRESS),
        (Action.Status.CANCELLED, Action.Status.PLANNED),
    ],
)
def test_a_reopened_action_escalates_again_from_level_one(action, personas, finished, reopened):
    overdue = action()
    escalate_overdue_actions(now=DAY_AFTER)
    secretariat = personas["secretariat"]
    services.change_action_status(overdue, to=finished, by=secretariat, today=DUE)

    services.change_action_status(overdue, to=reopened, by=secretariat, today=DUE)

    overdue.refresh_from_db()
    assert overdue.escalation_level == 0
    assert escalate_overdue_actions(now=WEEK_AFTER) == {1: 1, 2: 0}


def test_a_status_change_between_open_statuses_keeps_the_level(action, personas):
    overdue = action()
    escalate_overdue_actions(now=DAY_AFTER)

    services.change_action_status(
        overdue, to=Action.Status.PLANNED, by=personas["secretariat"], today=DUE
    )

    overdue.refresh_from_db()
    assert overdue.escalation_level == 1
