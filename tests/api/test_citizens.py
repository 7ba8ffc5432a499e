"""The citizen endpoints: CPR numbers go in, only masked ones come out."""

import pytest
from django.db import connection

from enquiries.models import Citizen, CprReveal
from tests.etags import patch_json
from tests.factories import CitizenFactory
from tests.plaintext import without_timestamps

LIST = "/api/v1/citizens/"


@pytest.fixture
def citizen(support):
    """Karen Jensen, known to the support team through an enquiry."""
    return CitizenFactory(
        name="Karen Jensen", phone="20 30 40 50", cpr="0101801234", known_to=[support]
    )


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_register_citizen_returns_only_the_masked_cpr(client_as):
    response = post(
        client_as("agent"),
        LIST,
        {
            "name": "Ole Hansen",
            "cpr": "020290-4321",
            "phone": "+45 20 30 40 50",
            "needs_large_print": True,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["cpr_masked"] == "020290-xxxx"
    assert "cpr" not in body
    assert b"4321" not in without_timestamps(response.content)
    assert body["needs"] == ["large-print key card"]
    citizen = Citizen.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/v1/citizens/{citizen.pk}/"
    assert citizen.reveal_cpr() == "020290-4321"
    assert body["enquiries_url"] == f"/api/v1/enquiries/?citizen={citizen.pk}"


def test_register_citizen_without_cpr(client_as):
    response = post(client_as("agent"), LIST, {"name": "Anonym borger"})

    assert response.status_code == 201
    assert response.json()["cpr_masked"] == ""


def test_cpr_is_stored_only_encrypted(client_as):
    post(client_as("agent"), LIST, {"name": "Ole Hansen", "cpr": "0202904321"})

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM enquiries_citizen")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "0202904321" not in row and "020290-4321" not in row


def test_a_cpr_number_can_be_registered_only_once(client_as, citizen):
    response = post(client_as("agent"), LIST, {"name": "Dublet", "cpr": "010180-1234"})

    assert response.status_code == 400
    assert "cpr" in response.json()
    assert Citizen.objects.count() == 1


def test_patch_changes_details_and_replaces_or_clears_the_cpr(client_as, citizen):
    client = client_as("agent")
    url = f"{LIST}{citizen.pk}/"

    changed = patch_json(client, url, {"phone": "40 50 60 70", "cpr": "1502754321"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["cpr_masked"] == "150275-xxxx"
    citizen.refresh_from_db()
    assert citizen.phone_digits == "40506070"

    unchanged = patch_json(client, url, {"name": "Karen M. Jensen"})
    assert unchanged.json()["cpr_masked"] == "150275-xxxx"

    cleared = patch_json(client, url, {"cpr": ""})
    assert cleared.json()["cpr_masked"] == ""
    citizen.refresh_from_db()
    assert citizen.cpr_digest is None and citizen.cpr_ciphertext == ""


def test_patch_keeping_the_own_cpr_is_not_a_duplicate(client_as, citizen):
    response = patch_json(client_as("agent"), f"{LIST}{citizen.pk}/", {"cpr": "0101801234"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Karen", ["Karen Jensen"]),
        ("jensen", ["Karen Jensen"]),
        ("20304050", ["Karen Jensen"]),
        ("+45 20 30 40 50", ["Karen Jensen"]),
        ("Bent", ["Bent Nielsen"]),
        ("", ["Bent Nielsen", "Karen Jensen"]),
        ("Ingen", []),
    ],
)
def test_search_citizens_by_name_or_phone(client_as, citizen, support, query, expected):
    CitizenFactory(name="Bent Nielsen", phone="30 40 50 60", known_to=[support])

    response = client_as("agent").get(LIST, {"q": query})

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == expected


@pytest.mark.parametrize("query", ["010180-1234", "0101801234", "Karen 010180 1234"])
def test_search_by_cpr_in_the_url_is_refused_and_points_to_lookup(client_as, citizen, query):
    response = client_as("agent").get(LIST, {"q": query})

    assert response.status_code == 400
    assert "lookup" in response.json()["q"][0]


@pytest.mark.parametrize("value", ["010180-1234", "0101801234", " 010180 1234 "])
def test_lookup_by_cpr_in_the_body_finds_the_citizen(client_as, citizen, value):
    response = post(client_as("agent"), f"{LIST}lookup/", {"cpr": value})

    assert response.status_code == 200
    assert response.json()["id"] == citizen.pk
    assert b"1234" not in without_timestamps(response.content)


def test_lookup_of_an_unknown_cpr_is_a_404(client_as, citizen):
    response = post(client_as("agent"), f"{LIST}lookup/", {"cpr": "0202904321"})

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("persona", ["team_lead", "admin"])
def test_reveal_cpr_logs_who_and_why_and_is_not_cached(client_as, citizen, personas, persona):
    response = post(
        client_as(persona), f"{LIST}{citizen.pk}/reveal-cpr/", {"reason": "Borgeren spurgte"}
    )

    assert response.status_code == 200
    assert response.json() == {"cpr": "010180-1234"}
    assert "no-store" in response["Cache-Control"]
    reveal = CprReveal.objects.get()
    assert (reveal.revealed_by, reveal.reason) == (personas[persona], "Borgeren spurgte")


def test_reveal_cpr_needs_a_reason(client_as, citizen):
    response = post(client_as("team_lead"), f"{LIST}{citizen.pk}/reveal-cpr/", {"reason": " "})

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not CprReveal.objects.exists()


def test_reveal_cpr_of_a_citizen_without_one_is_a_400(client_as, support):
    citizen = CitizenFactory(known_to=[support])

    response = post(client_as("team_lead"), f"{LIST}{citizen.pk}/reveal-cpr/", {"reason": "Tjek"})

    assert response.status_code == 400
    assert "cpr" in response.json()


def test_agent_may_not_reveal_a_cpr_number(client_as, citizen):
    response = post(client_as("agent"), f"{LIST}{citizen.pk}/reveal-cpr/", {"reason": "Tjek"})

    assert response.status_code == 403
    assert not CprReveal.objects.exists()


@pytest.mark.parametrize("rows", [1, 25])
def test_citizen_list_takes_the_same_queries_for_1_and_25_rows(
    client_as, django_assert_num_queries, support, rows
):
    CitizenFactory.create_batch(rows, known_to=[support])
    client = client_as("agent")

    # session, user, user and group permissions, roles (oversight roles see
    # every citizen), the count, the page.
    with django_assert_num_queries(7):
        response = client.get(LIST)

    assert response.json()["count"] == rows
    assert len(response.json()["results"]) == rows
