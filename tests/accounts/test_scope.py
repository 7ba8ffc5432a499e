"""A user's scope: their own team and every team they lead, in every list.

The shapes come from tests/factories.py: a lead who is not a member of the
team they lead (`TeamFactory(outside_lead=True)`), a member of one team who
leads another (`UserFactory(team=a, leads=[b])`, this model's "user in two
teams": a user belongs to one team), a user with no team and a deactivated
user.
"""

import pytest
from django.urls import reverse

from accounts.models import Team, User
from actions.models import Action
from enquiries.assignment import may_rebalance
from enquiries.models import Enquiry, Queue
from seed.demo.users import create_demo_users
from stakeholders.models import Recommendation
from tests.factories import (
    ActionFactory,
    CategoryFactory,
    EnquiryFactory,
    QueueFactory,
    RecommendationFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(taxonomy):
    """Two teams with a queue each, and one person of every awkward shape."""
    a, b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    queue_a = QueueFactory(team=a)
    queue_b = QueueFactory(team=b)
    people = {
        "member_a": UserFactory(role="support_agent", team=a),
        "member_b": UserFactory(role="support_agent", team=b),
        # Member of A, lead of B: works in two teams.
        "lead_of_both": UserFactory(role="team_lead", team=a, leads=[a, b]),
        "no_team": UserFactory(role="support_agent", team=None),
        "deactivated_a": UserFactory(role="support_agent", team=a, deactivated=True),
    }
    outside = TeamFactory(name="Team C", outside_lead=True)
    queue_c = QueueFactory(team=outside)
    people["outside_lead_c"] = outside.lead
    return {"queues": {"a": queue_a, "b": queue_b, "c": queue_c}, "people": people}


# person: the queues whose enquiries they see (without holding them)
SCOPES = {
    "member_a": {"a"},
    "member_b": {"b"},
    "lead_of_both": {"a", "b"},
    "no_team": set(),
    "deactivated_a": set(),
    "outside_lead_c": {"c"},
}


def _enquiry_in(queue):
    return EnquiryFactory(queue=queue, category=CategoryFactory(topic__queue=queue))


@pytest.mark.parametrize(("person", "expected"), SCOPES.items())
def test_enquiries_visible_are_those_of_the_teams_in_scope(world, person, expected):
    enquiries = {code: _enquiry_in(queue) for code, queue in world["queues"].items()}
    user = world["people"][person]

    visible = set(Enquiry.objects.visible_to(user).values_list("pk", flat=True))

    assert visible == {enquiries[code].pk for code in expected}


@pytest.mark.parametrize(("person", "expected"), SCOPES.items())
def test_queues_visible_are_those_of_the_teams_in_scope(world, person, expected):
    user = world["people"][person]
    queues = {q.pk for q in world["queues"].values()}

    visible = set(Queue.objects.visible_to(user).filter(pk__in=queues).values_list("pk", flat=True))

    assert visible == {world["queues"][code].pk for code in expected}


@pytest.mark.parametrize(("person", "expected"), SCOPES.items())
def test_actions_and_recommendations_follow_the_same_scope(world, person, expected):
    topics = {code: TopicFactory(queue=queue) for code, queue in world["queues"].items()}
    actions = {code: ActionFactory(topics=[topic]) for code, topic in topics.items()}
    recommendations = {
        code: RecommendationFactory(topics=[topic]) for code, topic in topics.items()
    }
    user = world["people"][person]
    # A deactivated user holds no role any more: nothing at all.
    expected = expected if user.is_active else set()

    assert set(Action.objects.visible_to(user)) == {actions[c] for c in expected}
    assert set(Recommendation.objects.visible_to(user)) == {recommendations[c] for c in expected}


def test_scope_team_ids_is_own_team_and_led_teams(world):
    people = world["people"]

    assert set(Team.objects.filter(pk__in=people["lead_of_both"].scope_team_ids())) == {
        Team.objects.get(name="Team A"),
        Team.objects.get(name="Team B"),
    }
    assert list(people["no_team"].scope_teams()) == []
    assert {t.name for t in people["outside_lead_c"].scope_teams()} == {"Team C"}


def test_a_lead_may_rebalance_every_team_they_lead_only(world):
    lead = world["people"]["lead_of_both"]
    outsider = world["people"]["outside_lead_c"]

    assert may_rebalance(lead, Team.objects.get(name="Team B"))
    assert may_rebalance(outsider, Team.objects.get(name="Team C"))
    assert not may_rebalance(outsider, Team.objects.get(name="Team A"))


@pytest.fixture
def demo_lead(taxonomy, client):
    """The demo data's team lead: member of NemID-support, lead of both teams."""
    create_demo_users()
    lead = User.objects.get(username="teamlead")
    client.force_login(lead)
    return client


def test_demo_teamlead_leads_two_teams_and_sees_both(demo_lead):
    lead = User.objects.get(username="teamlead")
    letters = Queue.objects.get(code="ministry")

    assert lead.team.name == "NemID-support"
    assert set(lead.scope_teams().values_list("name", flat=True)) == {
        "NemID-support",
        "Brevkontoret",
    }
    assert letters in Queue.objects.visible_to(lead)


def test_demo_teamlead_opens_and_lists_the_other_teams_enquiries(demo_lead):
    enquiry = _enquiry_in(Queue.objects.get(code="ministry"))

    assert demo_lead.get(reverse("enquiries:detail", args=[enquiry.reference])).status_code == 200
    assert enquiry.reference in demo_lead.get(reverse("enquiries:list")).content.decode()


def test_demo_teamlead_deadlines_show_both_teams(demo_lead):
    support = EnquiryFactory(
        queue=Queue.objects.get(code="support"),
        category=CategoryFactory(topic__queue=Queue.objects.get(code="support")),
        overdue=True,
    )
    letters = EnquiryFactory(
        queue=Queue.objects.get(code="ministry"),
        category=CategoryFactory(topic__queue=Queue.objects.get(code="ministry")),
        overdue=True,
    )

    page = demo_lead.get(reverse("enquiries:breaches")).content.decode()

    assert support.reference in page
    assert letters.reference in page


def test_demo_teamlead_workload_shows_both_teams(demo_lead):
    page = demo_lead.get(reverse("analytics:workload")).content.decode()

    assert "NemID-support" in page
    assert "Brevkontoret" in page
    # Karen Hansen works in Brevkontoret only.
    assert "Karen Hansen" in page


def test_demo_teamlead_dashboard_offers_both_teams_queues(demo_lead):
    response = demo_lead.get(reverse("dashboards:overview"))

    assert response.status_code == 200
    page = response.content.decode()
    for code in ("support", "ministry", "press"):
        assert f'value="{code}"' in page
