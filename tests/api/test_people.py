"""GET /api/v1/people/: the people pickers' source, scoped and searchable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import TeamFactory, UserFactory
from tests.permissions import answers, cases

URL = "/api/v1/people/"
COLUMNS = ["agent", "team_lead", "secretariat", "manager", "admin", "anonymous", "integration"]

# query,            agent team_lead secr. manager admin anon. integr.
SCOPES = [
    ("",                200, 200, 200, 200, 200, 401, 200),
    ("scope=assignable", 200, 200, 200, 200, 200, 401, 200),
    ("scope=staff",     400, 400, 200, 200, 200, 401, 400),
    ("queue=support",   200, 200, 200, 200, 200, 401, 200),
]  # fmt: skip


@pytest.fixture
def client_for(client_as, token_client):
    def make(role: str):
        return token_client if role == "integration" else client_as(role)

    return make


@pytest.fixture
def letter_desk(taxonomy):
    """The ministry's letter desk with a team of its own."""
    team = TeamFactory(name="Brevkontoret")
    taxonomy["ministry"].team = team
    taxonomy["ministry"].save()
    return team


def names(response) -> list[str]:
    return [person["username"] for person in response.json()["results"]]


@pytest.mark.parametrize(("query", "expected"), cases(SCOPES, COLUMNS))
def test_each_role_gets_the_status_of_the_table(client_for, query, expected):
    assert answers(lambda role: client_for(role).get(f"{URL}?{query}"), COLUMNS) == expected


def test_a_role_that_may_not_see_all_staff_is_told_which_parameter(client_as):
    response = client_as("agent").get(URL, {"scope": "staff"})

    assert response.status_code == 400
    assert "scope" in response.json()


def test_namesakes_get_labels_that_tell_them_apart(client_as, support_team):
    UserFactory(
        username="alth",
        first_name="Ali",
        last_name="Thomsen",
        team=support_team,
        role="support_agent",
    )
    UserFactory(
        username="alit",
        first_name="Ali",
        last_name="Thomsen",
        team=support_team,
        role="support_agent",
    )

    people = client_as("team_lead").get(URL, {"q": "Ali Thomsen"}).json()["results"]

    assert [p["label"] for p in people] == [
        "Ali Thomsen (alit · NemID-support)",
        "Ali Thomsen (alth · NemID-support)",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Zelda", ["mzj"]),
        ("mzj", ["mzj"]),
        ("jensholm zelda", ["mzj"]),
        ("Brevkontoret", ["kah"]),
        ("Brev Hansen", ["kah"]),
        ("Nobody Here", []),
    ],
)
def test_search_by_name_username_or_team(client_as, support_team, letter_desk, text, found):
    UserFactory(
        username="mzj",
        first_name="Mette-Zelda",
        last_name="Jensholm",
        team=support_team,
        role="support_agent",
    )
    UserFactory(
        username="kah",
        first_name="Karen",
        last_name="Hansen",
        team=letter_desk,
        role="support_agent",
    )

    assert names(client_as("admin").get(URL, {"q": text})) == found


def test_a_team_member_sees_only_whom_their_queues_may_be_given(
    client_as, personas, support_team, letter_desk
):
    UserFactory(username="brev1", role="support_agent", team=letter_desk)

    agent = names(client_as("agent").get(URL))
    manager = names(client_as("manager").get(URL))

    assert "brev1" not in agent
    assert {"agent", "team_lead"} <= set(agent)
    assert {"agent", "team_lead", "brev1"} <= set(manager)


@pytest.mark.parametrize("key", ["code", "pk"])
def test_queue_narrows_to_whom_that_queue_may_be_given(client_as, taxonomy, letter_desk, key):
    UserFactory(username="brev1", role="support_agent", team=letter_desk)
    ministry = taxonomy["ministry"]

    people = names(client_as("admin").get(URL, {"queue": getattr(ministry, key)}))

    assert people == ["brev1"]


@pytest.mark.parametrize("queue", ["ministry", "nope", "99999", "x" * 500])
def test_a_queue_the_user_cannot_see_is_a_400_naming_it(client_as, taxonomy, queue):
    response = client_as("agent").get(URL, {"queue": queue})

    assert response.status_code == 400
    assert "queue" in response.json()


def test_all_staff_for_the_secretariat_includes_people_without_a_team(client_as, personas):
    people = names(client_as("secretariat").get(URL, {"scope": "staff", "q": "manager"}))

    assert people == ["manager"]


def test_people_come_in_pages_of_twenty(client_as, support_team):
    for n in range(25):
        UserFactory(
            username=f"floor{n:02d}", first_name="Agent", team=support_team, role="support_agent"
        )

    page = client_as("admin").get(URL, {"q": "floor"}).json()

    assert page["count"] == 25
    assert len(page["results"]) == 20
    assert "page=2" in page["next"]


def test_one_person_by_id_for_the_picker_to_check_a_choice(client_as, personas):
    agent = personas["agent"]

    found = client_as("team_lead").get(URL, {"id": agent.pk, "queue": "support"}).json()
    elsewhere = client_as("admin").get(URL, {"id": agent.pk, "queue": "ministry"}).json()

    assert [p["id"] for p in found["results"]] == [agent.pk]
    assert elsewhere["results"] == []


@pytest.mark.parametrize("params", [{"q": "x" * 101}, {"id": "abc"}, {"scope": "everyone"}])
def test_bad_parameters_are_a_400_naming_them(client_as, params):
    response = client_as("admin").get(URL, params)

    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_queries_do_not_grow_with_the_people_listed(client_as, support_team):
    client = client_as("team_lead")
    client.get(URL, {"queue": "support"})  # keeps the permissions (accounts.access)
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"queue": "support"})
    for n in range(25):
        UserFactory(username=f"floor{n:02d}", role="support_agent", team=support_team)

    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"queue": "support"})

    assert response.json()["count"] == 27
    assert len(many.captured_queries) == len(one.captured_queries)
