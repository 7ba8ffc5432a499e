"""The API refuses a CPR number in any text but `cpr`, with a 400 naming it.

Searching by CPR number is refused alike on the enquiries and the citizens
list: a number in a URL ends up in access logs (issue 8).
"""

import pytest
from django.http import QueryDict

from enquiries.cpr_guard import request_errors
from enquiries.models import Citizen, Enquiry
from stakeholders.models import Meeting, WorkingGroup
from tests.factories import ActionFactory, ContactFactory, OrganisationFactory

VARIANTS = ["110682-1449", "11.06.82-1449", "11 06 82 1449", "110682\u200b1449"]


def post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("number", VARIANTS)
@pytest.mark.parametrize("url", ["/api/v1/enquiries/", "/api/v1/citizens/"])
def test_searching_a_list_by_cpr_number_is_a_400_naming_q(client_as, enquiry, url, number):
    response = client_as("agent").get(url, {"q": f"borger {number}"})

    assert response.status_code == 400
    assert "lookup" in response.json()["q"][0]
    assert "1449" not in response.content.decode()


def test_searching_the_enquiries_by_words_and_a_phone_number_still_works(client_as, enquiry):
    response = client_as("agent").get("/api/v1/enquiries/", {"q": "midlertidige"})
    by_phone = client_as("agent").get("/api/v1/enquiries/", {"q": "+45 33 12 34 56"})

    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [enquiry.reference]
    assert by_phone.status_code == 200


def test_a_meeting_title_with_a_cpr_number_is_a_400_naming_the_field(client_as, db):
    org = OrganisationFactory()

    response = post(
        client_as("secretariat"),
        "/api/v1/meetings/",
        {"title": "Møde om 11.06.82-1449", "organisations": [org.pk], "agenda": "Punkt 1"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert "CPR" in response.json()["title"][0]
    assert not Meeting.objects.exists()


def test_a_nested_text_is_named_by_its_path(client_as, support):
    response = post(
        client_as("agent"),
        "/api/v1/enquiries/",
        {"queue": "support", "subject": "Opkald", "citizen": {"name": "110682 1449"}},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["citizen.name"]
    assert not Enquiry.objects.exists()


def test_a_citizen_phone_with_a_cpr_number_is_refused_but_the_cpr_field_takes_it(client_as, db):
    agent = client_as("agent")

    refused = post(agent, "/api/v1/citizens/", {"name": "Karen", "phone": "110682-1449"})
    created = post(agent, "/api/v1/citizens/", {"name": "Karen", "cpr": "110682-1449"})

    assert refused.status_code == 400
    assert list(refused.json()) == ["phone"]
    assert created.status_code == 201, created.json()
    assert Citizen.objects.get().cpr_masked == "110682-xxxx"


def test_patching_an_action_title_with_a_cpr_number_is_refused(client_as, personas):
    support_action = ActionFactory(title="Ring til borgeren")
    response = post(
        client_as("secretariat"),
        f"/api/v1/actions/{support_action.pk}/",
        {"title": "Ring til 110682\u20131449"},
        method="patch",
    )

    assert response.status_code == 400
    assert "title" in response.json()
    support_action.refresh_from_db()
    assert "1449" not in support_action.title


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Gruppe 110682-1449"}, "name"),
        ({"name": "Gruppe", "code": "g-1106821449"}, "code"),
    ],
)
def test_a_working_group_with_a_cpr_number_in_its_name_or_slug_is_refused(
    client_as, db, body, field
):
    member = ContactFactory()

    response = post(
        client_as("secretariat"), "/api/v1/working-groups/", {**body, "members": [member.pk]}
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not WorkingGroup.objects.exists()


def test_a_multipart_body_is_checked_in_every_value_of_a_key():
    body = QueryDict("title=Referat&title=110682-1449&cpr=1106821449&note=ok")

    assert list(request_errors(body)) == ["title"]
