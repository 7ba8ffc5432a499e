"""The Workload page for a floor of 270: teams, then members searched,
sorted and paged on the server."""

import pytest

from enquiries import services
from tests.factories import UserFactory

URL = "/analytics/workload/"


@pytest.fixture
def floor(support, support_team, personas):
    """55 more agents; one holds three open enquiries, one is absent."""
    agents = [
        UserFactory(
            username=f"floor{n:02d}", first_name=f"Agent{n:02d}", role="support_agent",
            team=support_team,
        )
        for n in range(55)
    ]  # fmt: skip
    for _ in range(3):
        services.register_enquiry(support, by=personas["agent"], subject="Hej", assignee=agents[7])
    agents[8].is_absent = True
    agents[8].save()
    return agents


def usernames(response) -> list[str]:
    return [member.username for member in response.context["members"].object_list]


def test_the_busiest_come_first_fifty_to_a_page(client_as, floor):
    client = client_as("team_lead")

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert usernames(first)[0] == "floor07"
    assert first.context["members"].object_list[0].open_count == 3
    assert len(usernames(first)) == 50
    assert len(usernames(second)) == 57 - 50
    assert first.context["workloads"][0]["member_count"] == 57


def test_search_by_name_username_or_team(client_as, floor):
    client = client_as("team_lead")

    assert usernames(client.get(URL, {"q": "agent07"})) == ["floor07"]
    assert usernames(client.get(URL, {"q": "floor1"})) == [f"floor{n}" for n in range(10, 20)]
    assert len(usernames(client.get(URL, {"q": "NemID-support"}))) == 50
    html = client.get(URL, {"q": "Ingen sådan"}).content.decode()
    assert "No member matches “Ingen sådan”." in html


@pytest.mark.parametrize(
    ("sort", "first"),
    [("name", "Agent00"), ("-name", None), ("-open", "Agent07"), ("-available", "Agent08")],
)
def test_columns_sort_on_the_server(client_as, floor, sort, first):
    response = client_as("team_lead").get(URL, {"sort": sort})

    top = response.context["members"].object_list[0]
    if first is not None:
        assert top.first_name == first
    assert response.context["sorting"].current == sort
    direction = "descending" if sort.startswith("-") else "ascending"
    assert f'aria-sort="{direction}"' in response.content.decode()


def test_an_unknown_sort_falls_back_to_the_busiest_first(client_as, floor):
    response = client_as("team_lead").get(URL, {"sort": "password"})

    assert response.context["sorting"].current == "-open"
    assert usernames(response)[0] == "floor07"


def test_the_page_keeps_sort_and_search_in_its_page_links(client_as, floor):
    html = client_as("team_lead").get(URL, {"q": "floor", "sort": "name"}).content.decode()

    assert 'href="?q=floor&amp;sort=name&amp;page=2"' in html
