"""An enquiry can be given only to someone who may open it without holding it.

Every way of assigning goes through the same check: the services (forms,
bulk triage, the API), automatic assignment and the people type-ahead.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from enquiries import services
from enquiries.models import Enquiry
from enquiries.services import auto_assign_enquiry
from tests.etags import patch_json
from tests.factories import (
    CategoryFactory,
    EnquiryFactory,
    QueueFactory,
    TeamFactory,
    UserFactory,
    two_editors,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    a, b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    queues = {"a": QueueFactory(team=a), "b": QueueFactory(team=b)}
    outside = TeamFactory(name="Team C", outside_lead=True)
    queues["c"] = QueueFactory(team=outside)
    people = {
        "member_a": UserFactory(role="support_agent", team=a),
        "member_b": UserFactory(role="support_agent", team=b),
        "lead_of_both": UserFactory(role="team_lead", team=a, leads=[a, b]),
        "no_team": UserFactory(role="support_agent", team=None),
        "deactivated_a": UserFactory(role="support_agent", team=a, deactivated=True),
        "outside_lead_c": outside.lead,
        # No role that works enquiries, although a member of the team.
        "roleless_a": UserFactory(team=a),
        "secretariat": personas["secretariat"],
        "manager": personas["manager"],
        "admin": personas["admin"],
    }
    return {"queues": queues, "people": people}


# queue: who may be given its enquiries. Oversight roles see every queue but
# work none, so they are not offered.
ASSIGNABLE = {
    "a": {"member_a", "lead_of_both"},
    "b": {"member_b", "lead_of_both"},
    "c": {"outside_lead_c"},
}


def _enquiry_in(queue, **kwargs):
    return EnquiryFactory(queue=queue, category=CategoryFactory(topic__queue=queue), **kwargs)


@pytest.mark.parametrize("queue_code", ASSIGNABLE)
def test_assignable_for_is_whoever_works_the_queues_team(world, queue_code):
    queue = world["queues"][queue_code]
    names = {user.pk: name for name, user in world["people"].items()}

    found = {names[pk] for pk in User.objects.assignable_for(queue).values_list("pk", flat=True)}

    assert found == ASSIGNABLE[queue_code]


@pytest.mark.parametrize("queue_code", ASSIGNABLE)
@pytest.mark.parametrize(
    "person",
    [
        "member_a",
        "member_b",
        "lead_of_both",
        "no_team",
        "deactivated_a",
        "outside_lead_c",
        "roleless_a",
        "secretariat",
        "manager",
        "admin",
    ],
)
def test_an_assignment_is_refused_unless_the_assignee_may_open_the_enquiry(
    world, personas, queue_code, person
):
    queue = world["queues"][queue_code]
    enquiry = _enquiry_in(queue)
    assignee = world["people"][person]

    try:
        services.update_enquiry(enquiry, by=personas["admin"], changes={"assignee": assignee})
    except ValidationError as error:
        assert person not in ASSIGNABLE[queue_code]
        assert list(error.message_dict) == ["assignee"]
        return
    assert person in ASSIGNABLE[queue_code]
    # Without the clause that lets holders see what they hold.
    assert queue.enquiries_visible_to(assignee)
    assert Enquiry.objects.filter(pk=enquiry.pk, assignee=assignee).exists()


def test_registering_with_an_assignee_of_another_team_is_refused(world, personas):
    with pytest.raises(ValidationError) as error:
        services.register_enquiry(
            world["queues"]["a"],
            by=personas["admin"],
            subject="Nøglekort bortkommet",
            assignee=world["people"]["member_b"],
        )

    assert "assignee" in error.value.message_dict


def test_the_api_refuses_an_assignee_of_another_team_with_a_400_on_the_field(
    world, personas, client
):
    lead = world["people"]["lead_of_both"]
    enquiry = _enquiry_in(world["queues"]["a"])
    outsider = world["people"]["outside_lead_c"]
    client.force_login(lead)

    response = patch_json(
        client, f"/api/v1/enquiries/{enquiry.reference}/", {"assignee": outsider.username}
    )

    assert response.status_code == 400
    assert "assignee" in response.json()
    enquiry.refresh_from_db()
    assert enquiry.assignee is None


def test_bulk_triage_to_someone_who_cannot_see_one_of_them_changes_none(world):
    lead = world["people"]["lead_of_both"]
    mine, theirs = _enquiry_in(world["queues"]["a"]), _enquiry_in(world["queues"]["b"])

    with pytest.raises(ValidationError) as error:
        services.bulk_triage(
            [mine, theirs], by=lead, changes={"assignee": world["people"]["member_a"]}
        )

    assert theirs.reference in " ".join(error.value.message_dict["selected"])
    assert not Enquiry.objects.filter(assignee__isnull=False).exists()


def test_the_assign_form_refuses_someone_of_another_team(world, client):
    lead = world["people"]["lead_of_both"]
    enquiry = _enquiry_in(world["queues"]["a"])
    client.force_login(lead)

    response = client.post(
        reverse("enquiries:assign", args=[enquiry.reference]),
        # The type-ahead sends what was typed: here the exact username.
        {"assignee": world["people"]["outside_lead_c"].username},
    )

    assert response.status_code == 200
    assert "assignee" in response.context["assign_form"].errors
    enquiry.refresh_from_db()
    assert enquiry.assignee is None


def test_moving_to_a_queue_its_holder_cannot_work_unassigns_it(world, personas):
    holder = world["people"]["member_a"]
    enquiry = _enquiry_in(world["queues"]["a"], assignee=holder)

    services.update_enquiry(enquiry, by=personas["admin"], changes={"queue": world["queues"]["b"]})

    enquiry.refresh_from_db()
    assert enquiry.assignee is None
    assert enquiry not in Enquiry.objects.visible_to(holder)


def test_moving_to_a_queue_its_holder_also_works_keeps_the_holder(world, personas):
    lead = world["people"]["lead_of_both"]
    enquiry = _enquiry_in(world["queues"]["a"], assignee=lead)

    services.update_enquiry(enquiry, by=personas["admin"], changes={"queue": world["queues"]["b"]})

    enquiry.refresh_from_db()
    assert enquiry.assignee == lead


def test_two_editors_each_holding_the_enquiry_cannot_give_it_outside_the_team(world):
    enquiry = _enquiry_in(world["queues"]["a"])
    (first, first_copy), (second, second_copy) = two_editors(enquiry)

    services.update_enquiry(first_copy, by=first, changes={"assignee": first})
    with pytest.raises(ValidationError):
        services.update_enquiry(
            second_copy, by=second, changes={"assignee": world["people"]["member_b"]}
        )
    services.update_enquiry(second_copy, by=second, changes={"assignee": second})

    enquiry.refresh_from_db()
    assert enquiry.assignee == second
    assert enquiry in Enquiry.objects.visible_to(first)


def test_automatic_assignment_skips_deactivated_members_and_outside_leads(world):
    queue = world["queues"]["c"]
    queue.is_auto_assign = True
    queue.save()
    team = queue.team
    UserFactory(role="support_agent", team=team, deactivated=True)
    enquiry = _enquiry_in(queue)

    assert auto_assign_enquiry(enquiry, now=enquiry.received_at) is None

    member = UserFactory(role="support_agent", team=team)
    assert auto_assign_enquiry(enquiry, now=enquiry.received_at) == member
    assert queue.enquiries_visible_to(member)


def test_people_type_ahead_offers_only_assignable_people(world, client):
    lead = world["people"]["lead_of_both"]
    client.force_login(lead)

    response = client.get("/api/v1/people/", {"queue": world["queues"]["a"].code})

    usernames = {person["username"] for person in response.json()["results"]}
    people = world["people"]
    assert usernames == {people["member_a"].username, lead.username}


def test_a_deactivated_holder_keeps_the_enquiry_but_cannot_be_given_more(world, personas):
    gone = world["people"]["deactivated_a"]
    held = _enquiry_in(world["queues"]["a"], assignee=gone)
    fresh = _enquiry_in(world["queues"]["a"])

    with pytest.raises(ValidationError):
        services.update_enquiry(fresh, by=personas["admin"], changes={"assignee": gone})

    held.refresh_from_db()
    assert held.assignee == gone
    assert gone not in User.objects.assignable_for(held.queue)
