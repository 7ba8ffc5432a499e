import threading
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from enquiries import services as enquiry_services
from enquiries.models import AssignmentTurn, Enquiry, EnquiryEvent
from enquiries.services import rebalance_team
from tests.factories import TeamFactory, UserFactory
from tests.permissions import LOGIN, answer

Status = Enquiry.Status


@pytest.fixture
def letter_team(ministry):
    """The ministry's letter desk assigns automatically to its team of three."""
    team = TeamFactory(name="Brevkontoret")
    ministry.team = team
    ministry.is_auto_assign = True
    ministry.save()
    agents = [UserFactory(username=f"brev{i}", role="support_agent", team=team) for i in range(3)]
    return team, agents


def register(queue, **kwargs):
    kwargs.setdefault("subject", "Brev om NemID")
    return enquiry_services.register_enquiry(queue, by=kwargs.pop("by", None), **kwargs)


def give(queue, agent, n=1, status=Status.NEW):
    for _ in range(n):
        enquiry = register(queue, assignee=agent)
        Enquiry.objects.filter(pk=enquiry.pk).update(status=status)


def test_a_new_enquiry_goes_to_the_agent_with_fewest_open(ministry, letter_team):
    _team, (first, second, third) = letter_team
    give(ministry, first, 2)
    give(ministry, second, 1)
    give(ministry, third, 3, status=Status.RESOLVED)  # closed work does not count

    enquiry = register(ministry)

    assert enquiry.assignee == third


def test_equals_take_turns(ministry, letter_team):
    _team, agents = letter_team

    assignees = [register(ministry).assignee for _ in range(6)]

    assert assignees == agents + agents


def test_the_assignment_is_a_system_line_on_the_timeline(ministry, letter_team):
    enquiry = register(ministry)

    event = enquiry.events.get(kind=EnquiryEvent.Kind.ASSIGNED)
    assert event.actor is None
    assert event.new_value == str(enquiry.assignee.pk)
    assert event.new_label == str(enquiry.assignee)
    assert AssignmentTurn.objects.get(user=enquiry.assignee).last_assigned_at == event.created_at


def test_absent_inactive_and_non_agents_get_nothing(ministry, letter_team, personas):
    team, (first, second, third) = letter_team
    first.is_absent = True
    first.save()
    second.is_active = False
    second.save()
    # The secretariat may not change enquiries, even as a team member.
    personas["secretariat"].team = team
    personas["secretariat"].save()

    assignees = {register(ministry).assignee for _ in range(3)}

    assert assignees == {third}


def test_nobody_available_leaves_the_enquiry_unassigned(ministry, letter_team):
    _team, agents = letter_team
    for agent in agents:
        agent.is_absent = True
        agent.save()

    enquiry = register(ministry)

    assert enquiry.assignee is None
    assert not enquiry.events.filter(kind=EnquiryEvent.Kind.ASSIGNED).exists()


def test_queues_without_the_switch_are_not_assigned(support, personas):
    assert register(support, by=personas["agent"]).assignee is None


def test_a_chosen_assignee_is_kept(ministry, letter_team):
    _team, (first, _second, _third) = letter_team
    give(ministry, first, 3)

    assert register(ministry, assignee=first).assignee == first


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_does_not_pile_onto_one_agent(ministry, letter_team):
    threads_count = 12
    barrier = threading.Barrier(threads_count)
    errors = []

    def intake():
        try:
            barrier.wait(timeout=30)
            register(ministry)
        except Exception as error:  # reported below, with the thread's failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    spread = Counter(Enquiry.objects.values_list("assignee__username", flat=True))
    assert spread == {"brev0": 4, "brev1": 4, "brev2": 4}


def loads(team) -> dict[str, int]:
    return dict(
        Counter(
            Enquiry.objects.open()
            .filter(queue__team=team)
            .values_list("assignee__username", flat=True)
        )
    )


def test_rebalance_gives_unassigned_and_absent_peoples_work_to_the_least_loaded(
    ministry, letter_team, personas
):
    team, (first, second, _third) = letter_team
    give(ministry, first, 2)
    give(ministry, second, 1, status=Status.IN_PROGRESS)
    first.is_absent = True
    first.save()
    ministry.is_auto_assign = False
    ministry.save()
    for _ in range(4):
        register(ministry)
    admin = personas["admin"]

    moved = rebalance_team(team, by=admin)

    assert moved == 6
    assert loads(team) == {"brev1": 3, "brev2": 4}


def test_rebalance_evens_out_unstarted_work_only(ministry, letter_team, personas):
    team, (first, second, _third) = letter_team
    give(ministry, first, 6)
    give(ministry, second, 5, status=Status.IN_PROGRESS)

    moved = rebalance_team(team, by=personas["admin"])

    # brev0's six new enquiries are shared with brev2; brev1's started work stays.
    assert moved == 3
    assert loads(team) == {"brev0": 3, "brev1": 5, "brev2": 3}


def test_rebalance_writes_one_batch_of_timeline_lines(ministry, letter_team, personas):
    team, (first, _second, _third) = letter_team
    give(ministry, first, 4)

    rebalance_team(team, by=personas["admin"])

    events = EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.ASSIGNED, actor=personas["admin"])
    assert events.count() == 2
    assert len({event.batch for event in events}) == 1


@pytest.mark.parametrize("persona", ["agent", "secretariat", "manager"])
def test_rebalance_is_refused_to_others(support_team, personas, persona):
    with pytest.raises(PermissionDenied):
        rebalance_team(support_team, by=personas[persona])


def test_a_lead_may_not_rebalance_another_team(letter_team, personas):
    team, _agents = letter_team

    with pytest.raises(PermissionDenied):
        rebalance_team(team, by=personas["team_lead"])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", 403),
        ("team_lead", 200),
        ("secretariat", 403),
        ("manager", 403),
        ("admin", 200),
        ("anonymous", LOGIN),
    ],
)
def test_workload_page_permissions(client_as, persona, expected):
    assert answer(client_as(persona).get("/analytics/workload/")) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", 403),
        ("team_lead", 302),
        ("secretariat", 403),
        ("manager", 403),
        ("admin", 302),
        ("anonymous", LOGIN),
    ],
)
def test_rebalance_route_permissions(client_as, support, support_team, personas, persona, expected):
    enquiry = register(support, by=personas["agent"])

    response = client_as(persona).post(f"/analytics/workload/{support_team.pk}/rebalance/")

    assert answer(response) == expected
    enquiry.refresh_from_db()
    assert (enquiry.assignee is not None) is (persona in ("team_lead", "admin"))


def test_a_lead_posting_for_another_team_gets_a_404(client_as, letter_team):
    team, _agents = letter_team

    response = client_as("team_lead").post(f"/analytics/workload/{team.pk}/rebalance/")

    assert response.status_code == 404


def test_the_workload_page_shows_the_leads_team_only(client_as, letter_team, support_team):
    response = client_as("team_lead").get("/analytics/workload/")

    assert [w["team"] for w in response.context["workloads"]] == [support_team]


@pytest.mark.parametrize("members", [1, 25])
def test_the_workload_page_takes_a_constant_number_of_queries(
    client_as, support_team, members, django_assert_num_queries
):
    for i in range(members):
        UserFactory(username=f"extra{i}", role="support_agent", team=support_team)
    client = client_as("team_lead")

    # session, user, permissions (user, group), groups (role), teams,
    # members per team, unassigned per team; the members' count, then the
    # page of members with their open counts.
    with django_assert_num_queries(10):
        response = client.get("/analytics/workload/")

    assert response.context["workloads"][0]["member_count"] == members + 2
    assert len(response.context["members"].object_list) == members + 2
