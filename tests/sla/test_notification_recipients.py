"""Invariant: every recipient of every notification can open what it links to.

Checked over generated team shapes (who leads the queue's team, who manages
the queue, which team the enquiry is filed under, when it arrived), for the
enquiry escalation levels, the assignment and the action escalation. The
shapes come from tests/factories.py (outside lead, a member of one team who
leads another, deactivated users, the awkward reception times).
"""

import datetime
import itertools

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions.escalation import escalate_overdue_actions
from actions.models import Action
from enquiries import escalation, services
from enquiries.models import Enquiry, Notification
from tests.factories import (
    BEFORE_EASTER_1559,
    DST_OCTOBER_REPEATED_HOUR,
    ActionFactory,
    ContactFactory,
    TeamFactory,
    UserFactory,
)
from tests.sla.fixtures import at

# Who leads the queue's team.
LEADS = ["member", "outside", "member_of_other_team", "deactivated", "none"]
# Who is the queue's manager (level 2).
MANAGERS = ["manager", "admin", "agent_of_team", "lead_elsewhere", "deactivated", "none"]
# Which team the enquiry is filed under: the queue's, or another one whose
# lead cannot see the queue.
FILED_UNDER = ["queue_team", "other_team"]
RECEIVED = {"before_easter": BEFORE_EASTER_1559, "dst_october": DST_OCTOBER_REPEATED_HOUR}
SHAPES = list(itertools.product(LEADS, MANAGERS, FILED_UNDER, RECEIVED))

# Holidays of Easter 2010 in Denmark: Maundy Thursday to Easter Monday.
EASTER_2010 = {datetime.date(2010, 4, day) for day in (1, 2, 4, 5)}
LEVEL_1_AT = at(2010, 12, 1, 10)
LEVEL_2_AT = at(2011, 1, 10, 10)


def _lead(shape, team, other):
    if shape == "member":
        return UserFactory(role="team_lead", team=team)
    if shape == "outside":
        return UserFactory(role="team_lead", team=None)
    if shape == "member_of_other_team":
        return UserFactory(role="team_lead", team=other)
    if shape == "deactivated":
        return UserFactory(role="team_lead", team=team, deactivated=True)
    return None


def _manager(shape, team, other):
    if shape == "manager":
        return UserFactory(role="manager")
    if shape == "admin":
        return UserFactory(role="administrator")
    if shape == "agent_of_team":
        return UserFactory(role="support_agent", team=team)
    if shape == "lead_elsewhere":
        return UserFactory(role="team_lead", team=other, leads=[other])
    if shape == "deactivated":
        return UserFactory(role="manager", deactivated=True)
    return None


def opens(user: User, url: str) -> bool:
    client = Client()
    client.force_login(user)
    return client.get(url).status_code == 200


def recipients() -> list[User]:
    """The users the outbox writes to (every address belongs to one user)."""
    emails = list(Notification.objects.values_list("recipient", flat=True))
    users = list(User.objects.filter(email__in=emails))
    assert len(users) == len(set(emails)), "an e-mail went to an address of nobody on the staff"
    return users


@pytest.mark.parametrize(("lead_shape", "manager_shape", "filed_under", "received"), SHAPES)
def test_every_escalation_recipient_can_open_the_enquiry(
    taxonomy, policies, lead_shape, manager_shape, filed_under, received
):
    queue = taxonomy["support"]
    team = queue.team
    other = TeamFactory(name="Brevkontoret")
    other.lead = UserFactory(role="team_lead", team=other)
    other.save()
    team.lead = _lead(lead_shape, team, other)
    team.save()
    queue.manager = _manager(manager_shape, team, other)
    queue.save()
    agent = UserFactory(role="support_agent", team=team)
    enquiry = services.register_enquiry(
        queue,
        by=agent,
        subject="Nøglekortet er ikke kommet",
        channel="letter",
        received_at=RECEIVED[received],
        assignee=agent,
    )
    if filed_under == "other_team":
        Enquiry.objects.filter(pk=enquiry.pk).update(team=other)

    escalation.escalate_overdue_enquiries(now=LEVEL_1_AT)
    level_1 = recipients()
    escalation.escalate_overdue_enquiries(now=LEVEL_2_AT)
    level_2 = [user for user in recipients() if user not in level_1]

    url = reverse("enquiries:detail", args=[enquiry.reference])
    for user in [*level_1, *level_2, agent]:
        assert user.is_active
        assert opens(user, url), f"{user} was told of {enquiry.reference} but cannot open it"
    # Whoever can open it is told, so the invariant is not met by silence.
    lead_sees = lead_shape in ("member", "outside", "member_of_other_team")
    assert level_1 == ([team.lead] if lead_sees else [])
    manager_sees = manager_shape in ("manager", "admin", "agent_of_team")
    assert level_2 == ([queue.manager] if manager_sees and queue.manager != team.lead else [])


@pytest.mark.parametrize("received", RECEIVED)
def test_awkward_reception_times_get_deadlines_in_business_hours(taxonomy, policies, received):
    queue = taxonomy["support"]
    enquiry = services.register_enquiry(
        queue,
        by=None,
        subject="Nøglekortet er ikke kommet",
        channel="letter",
        received_at=RECEIVED[received],
    )

    for due in (enquiry.first_response_due_at, enquiry.resolution_due_at):
        local = due.astimezone(BEFORE_EASTER_1559.tzinfo)
        assert local.weekday() < 5
        assert local.date() not in EASTER_2010
        assert datetime.time(8) <= local.time() <= datetime.time(16)
    assert enquiry.first_response_due_at > RECEIVED[received]


@pytest.mark.parametrize("secretaries", [["active"], ["active", "deactivated"], ["deactivated"]])
def test_every_action_escalation_recipient_who_is_staff_can_open_the_action(personas, secretaries):
    for state in secretaries:
        UserFactory(role="secretariat", deactivated=state == "deactivated")
    contact = ContactFactory(email="projekt@danid.invalid")
    action = ActionFactory(overdue=True, responsible=contact, status=Action.Status.IN_PROGRESS)

    escalate_overdue_actions(now=at(2031, 1, 1, 9))
    escalate_overdue_actions(now=at(2031, 2, 1, 9))

    staff = recipients_among_staff()
    url = reverse("actions:detail", args=[action.pk])
    # The persona and the active ones; a deactivated secretary gets nothing.
    assert len(staff) == 1 + secretaries.count("active")
    for user in staff:
        assert user.is_active
        assert opens(user, url)
    # The first level goes to the responsible contact, outside the staff.
    assert Notification.objects.filter(recipient=contact.email).exists()


def recipients_among_staff() -> list[User]:
    emails = set(Notification.objects.values_list("recipient", flat=True))
    return list(User.objects.filter(email__in=emails))
