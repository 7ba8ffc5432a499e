"""Citizens are visible to a team only through that team's enquiries.

Across teams a citizen is found by the exact CPR or phone number only, and
every such look-up is logged like a reveal (CprReveal, kind "lookup"), which
the citizen's access export shows.
"""

import pytest
from django.urls import reverse

from enquiries import services
from enquiries.models import Citizen, CprReveal
from privacy import services as privacy_services
from tests.factories import CitizenFactory, QueueFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

CPR = "1106821449"
PHONE = "20304050"


@pytest.fixture
def world(taxonomy, personas):
    a, b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    queue_a, queue_b = QueueFactory(team=a), QueueFactory(team=b)
    people = {
        "member_a": UserFactory(role="support_agent", team=a),
        "member_b": UserFactory(role="support_agent", team=b),
        "lead_of_both": UserFactory(role="team_lead", team=a, leads=[b]),
        "no_team": UserFactory(role="support_agent", team=None),
    }
    citizens = {
        "only_b": CitizenFactory(name="Bodil Bertelsen", cpr=CPR, phone=PHONE, known_to=[queue_b]),
        "both": CitizenFactory(name="Carl Christensen", known_to=[queue_a, queue_b]),
        "only_a": CitizenFactory(name="Anna Andersen", known_to=[queue_a]),
    }
    return {"people": people, "citizens": citizens, "queues": {"a": queue_a, "b": queue_b}}


# person: the citizens they see without any look-up
KNOWN = {
    "member_a": {"both", "only_a"},
    "member_b": {"both", "only_b"},
    "lead_of_both": {"both", "only_a", "only_b"},
    "no_team": set(),
}


@pytest.mark.parametrize(("person", "expected"), KNOWN.items())
def test_citizens_visible_are_those_of_the_teams_enquiries(world, person, expected):
    user = world["people"][person]
    names = {c.pk: name for name, c in world["citizens"].items()}

    visible = {names[pk] for pk in Citizen.objects.visible_to(user).values_list("pk", flat=True)}

    assert visible == expected
    assert not CprReveal.objects.exists()


def test_the_citizen_list_and_the_api_show_no_other_teams_citizens(world, client):
    client.force_login(world["people"]["member_a"])

    page = client.get(reverse("enquiries:citizen-list")).content.decode()
    api = client.get("/api/v1/citizens/").json()["results"]
    detail = client.get(reverse("enquiries:citizen-detail", args=[world["citizens"]["only_b"].pk]))

    assert "Bodil Bertelsen" not in page
    assert "Carl Christensen" in page
    assert {c["name"] for c in api} == {"Carl Christensen", "Anna Andersen"}
    assert detail.status_code == 404


@pytest.mark.parametrize("text", ["Bodil", "Bertelsen", "2030", "203040", "1106"])
def test_no_look_up_across_teams_by_name_or_part_of_a_number(world, text):
    found = services.look_up_citizens(text, by=world["people"]["member_a"])

    assert "Bodil Bertelsen" not in {c.name for c in found}
    assert not CprReveal.objects.exists()


@pytest.mark.parametrize("text", [CPR, "110682-1449", PHONE, "+45 20 30 40 50", "20 30 40 50"])
def test_exact_cpr_or_phone_finds_across_teams_and_is_logged(world, text):
    member = world["people"]["member_a"]
    bodil = world["citizens"]["only_b"]

    found = services.look_up_citizens(text, by=member)

    assert [c.pk for c in found] == [bodil.pk]
    (log,) = CprReveal.objects.all()
    assert (log.citizen, log.revealed_by, log.kind) == (bodil, member, CprReveal.Kind.LOOKUP)
    # Found: the agent may now open the citizen to log the call.
    assert bodil in Citizen.objects.visible_to(member)


def test_every_cross_team_look_up_is_logged_but_not_a_look_up_of_a_known_citizen(world):
    member = world["people"]["member_a"]

    services.look_up_citizens(CPR, by=member)
    services.look_up_citizens(PHONE, by=member)
    services.look_up_citizens(CPR, by=world["people"]["member_b"])

    assert CprReveal.objects.filter(kind=CprReveal.Kind.LOOKUP).count() == 2


def test_the_grant_of_a_look_up_ends(world, settings):
    member = world["people"]["member_a"]
    bodil = world["citizens"]["only_b"]
    services.look_up_citizens(CPR, by=member)

    CprReveal.objects.update(
        revealed_at=CprReveal.objects.get().revealed_at - CprReveal.LOOKUP_GRANT
    )

    assert bodil not in Citizen.objects.visible_to(member)


def test_the_html_look_up_finds_across_teams_by_exact_cpr_only(world, client):
    client.force_login(world["people"]["member_a"])

    by_name = client.post(reverse("enquiries:citizen-list"), {"q": "Bodil"}).content.decode()
    by_cpr = client.post(reverse("enquiries:citizen-list"), {"q": "110682-1449"}).content.decode()

    assert "Bodil Bertelsen" not in by_name
    assert "Bodil Bertelsen" in by_cpr
    assert CprReveal.objects.filter(kind=CprReveal.Kind.LOOKUP).count() == 1


def test_the_api_look_up_by_cpr_finds_across_teams_and_logs_it(world, client):
    member = world["people"]["member_a"]
    client.force_login(member)

    response = client.post(
        "/api/v1/citizens/lookup/", {"cpr": CPR}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Bodil Bertelsen"
    assert CprReveal.objects.filter(revealed_by=member, kind=CprReveal.Kind.LOOKUP).count() == 1


def test_registering_a_known_cpr_of_another_team_sends_the_agent_to_find_it(world, client):
    client.force_login(world["people"]["member_a"])

    response = client.post(
        reverse("enquiries:citizen-create"), {"name": "Bodil B.", "cpr": "110682-1449"}
    )

    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Citizen.objects.count() == 3


def test_a_new_citizen_is_visible_to_whoever_registered_it_and_logged(world, client):
    member = world["people"]["member_a"]
    client.force_login(member)

    response = client.post(
        reverse("enquiries:citizen-create"), {"name": "Dorte Due", "phone": "40506070"}
    )

    assert response.status_code == 302
    dorte = Citizen.objects.get(name="Dorte Due")
    assert client.get(response["Location"]).status_code == 200
    assert CprReveal.objects.get(citizen=dorte).kind == CprReveal.Kind.REGISTRATION
    assert dorte not in Citizen.objects.visible_to(world["people"]["member_b"])


def test_the_access_export_shows_each_cross_team_look_up(world, personas):
    member = world["people"]["member_a"]
    bodil = world["citizens"]["only_b"]
    services.look_up_citizens(PHONE, by=member)

    _request, data = privacy_services.export_citizen_data(
        bodil, by=personas["secretariat"], reason="Borgeren bad om indsigt"
    )

    lookups = [r for r in data["cpr_reveals"] if r["kind"] == str(CprReveal.Kind.LOOKUP.label)]
    assert len(lookups) == 1
    assert lookups[0]["by"] == str(member)
