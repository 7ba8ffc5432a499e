"""The permission scope, `visible_to`, row by row for each kind of user.

Oversight roles see every queue and enquiry; agents and team leads their
team's queues and whatever is assigned to them; a user without the view
permission, or not logged in, sees nothing.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from enquiries.models import Enquiry, Queue
from tests.factories import CategoryFactory, EnquiryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(taxonomy, personas):
    """One enquiry in the support team's queue, one elsewhere, one assigned away."""
    support, ministry = taxonomy["support"], taxonomy["ministry"]
    own = EnquiryFactory(category=CategoryFactory(topic__queue=support))
    other = EnquiryFactory(category=CategoryFactory(topic__queue=ministry))
    assigned = EnquiryFactory(
        category=CategoryFactory(topic__queue=ministry), assignee=personas["agent"]
    )
    return {"own": own, "other": other, "assigned": assigned}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", {"own", "assigned"}),
        ("team_lead", {"own"}),
        ("secretariat", {"own", "other", "assigned"}),
        ("manager", {"own", "other", "assigned"}),
        ("admin", {"own", "other", "assigned"}),
    ],
)
def test_each_role_sees_its_enquiries(rows, personas, persona, expected):
    seen = set(Enquiry.objects.visible_to(personas[persona]))

    assert seen == {rows[name] for name in expected}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", {"support"}),
        ("team_lead", {"support"}),
        ("secretariat", "all"),
        ("manager", "all"),
        ("admin", "all"),
    ],
)
def test_each_role_sees_its_queues(taxonomy, personas, persona, expected):
    seen = {queue.code for queue in Queue.objects.visible_to(personas[persona])}

    assert seen == (set(taxonomy) if expected == "all" else expected)


def test_an_agent_with_no_team_sees_only_what_is_assigned_to_them(rows, taxonomy):
    loner = UserFactory(role="support_agent", team=None)
    mine = EnquiryFactory(category=CategoryFactory(topic__queue=taxonomy["press"]), assignee=loner)

    assert list(Enquiry.objects.visible_to(loner)) == [mine]
    assert not Queue.objects.visible_to(loner).exists()


def test_a_user_without_the_view_permission_sees_nothing(rows, support_team):
    no_role = UserFactory(team=support_team)
    EnquiryFactory(category=rows["own"].category, assignee=no_role)

    assert not Enquiry.objects.visible_to(no_role).exists()
    assert not Queue.objects.visible_to(no_role).exists()


def test_an_anonymous_visitor_sees_nothing(rows):
    assert not Enquiry.objects.visible_to(AnonymousUser()).exists()
    assert not Queue.objects.visible_to(AnonymousUser()).exists()


def test_a_deactivated_manager_loses_the_oversight(rows, personas):
    manager = personas["manager"]
    manager.is_active = False
    manager.save()

    assert not Enquiry.objects.visible_to(manager).exists()
