"""Who may call which API route: one row per route and method, one column per role.

`integration` is a support-agent account that authenticates with a token
(a telephony system); the other columns use a logged-in session. The docs
page is for people: it sends anyone without a session to the login form.
"""

import pytest
from django.test import Client

from enquiries import services
from enquiries.models import Enquiry, Topic
from tests.etags import if_match
from tests.permissions import LOGIN, answers, cases

COLUMNS = ["agent", "team_lead", "secretariat", "manager", "admin", "anonymous", "integration"]

# method, path, body,                              agent team_lead secr. manager admin anon. integr.
ROUTES = [
    ("get", "/api/v1/", None,                           200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/enquiries/", None,                 200, 200, 200, 200, 200, 401, 200),
    ("post", "/api/v1/enquiries/", "new_enquiry",       201, 201, 403, 403, 201, 401, 201),
    ("get", "/api/v1/enquiries/{enquiry}/", None,       200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/enquiries/{reference}/", None,     200, 200, 200, 200, 200, 401, 200),
    ("patch", "/api/v1/enquiries/{enquiry}/", "patch",  200, 200, 403, 403, 200, 401, 200),
    ("post", "/api/v1/enquiries/{enquiry}/transition/", "triage",
                                                        200, 200, 403, 403, 200, 401, 200),
    ("post", "/api/v1/enquiries/{resolved}/reopen/", "note",
                                                        200, 200, 403, 403, 200, 401, 200),
    ("post", "/api/v1/enquiries/{enquiry}/notes/", "text",
                                                        201, 201, 403, 403, 201, 401, 201),
    ("get", "/api/v1/enquiries/{enquiry}/events/", None,
                                                        200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/queues/", None,                    200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/queues/{queue}/", None,            200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/topics/", None,                    200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/topics/{topic}/", None,            200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/categories/", None,                200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/categories/{category}/", None,     200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/v1/citizens/", None,                  200, 200, 403, 403, 200, 401, 200),
    ("post", "/api/v1/citizens/", "new_citizen",        201, 201, 403, 403, 201, 401, 201),
    ("get", "/api/v1/citizens/{citizen}/", None,        200, 200, 403, 403, 200, 401, 200),
    ("patch", "/api/v1/citizens/{citizen}/", "phone",   200, 200, 403, 403, 200, 401, 200),
    ("post", "/api/v1/citizens/lookup/", "cpr",         200, 200, 403, 403, 200, 401, 200),
    ("post", "/api/v1/citizens/{citizen}/reveal-cpr/", "reason",
                                                        403, 200, 403, 403, 200, 401, 403),
    ("get", "/api/v1/people/", None,                    200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/schema/", None,                       200, 200, 200, 200, 200, 401, 200),
    ("get", "/api/docs/", None,                         200, 200, 200, 200, 200, LOGIN, LOGIN),
    ("get", "/api/redoc/", None,                        200, 200, 200, 200, 200, LOGIN, LOGIN),
]  # fmt: skip

BODIES = {
    "new_enquiry": {"queue": "support", "subject": "Kan ikke aktivere NemID"},
    "patch": {"priority": 3},
    "triage": {"status": "triaged"},
    "note": {"note": "Borgeren ringede igen"},
    "text": {"text": "Ringet op, ingen svar"},
    "new_citizen": {"name": "Ole Hansen", "phone": "20 30 40 99"},
    "phone": {"phone": "+45 20 30 40 51"},
    "cpr": {"cpr": "010180-1234"},
    "reason": {"reason": "Borgeren bad om det i telefonen"},
}


@pytest.fixture
def make_objects(support, category, citizen, personas):
    """Fresh enquiries for each role, so one role's change cannot block the next."""

    def make() -> dict:
        agent = personas["agent"]
        enquiry = services.register_enquiry(
            support, by=agent, subject="Har ikke fået koden", category=category, citizen=citizen
        )
        resolved = services.register_enquiry(
            support, by=agent, subject="Løst sag", category=category
        )
        services.transition_enquiry(
            resolved, to=Enquiry.Status.RESOLVED, by=agent, resolution="Hjulpet"
        )
        return {
            "enquiry": enquiry.pk,
            "reference": enquiry.reference,
            "resolved": resolved.pk,
            "queue": support.pk,
            "topic": Topic.objects.filter(queue=support).first().pk,
            "category": category.pk,
            "citizen": citizen.pk,
        }

    return make


@pytest.fixture
def client_for(client_as, token_client):
    def make(role: str) -> Client:
        return token_client if role == "integration" else client_as(role)

    return make


@pytest.mark.parametrize(("method", "path", "body", "expected"), cases(ROUTES, COLUMNS))
def test_each_role_gets_the_status_of_the_table(
    client_for, make_objects, method, path, body, expected
):
    def request(role):
        url = path.format(**make_objects())
        client = client_for(role)
        if body is None:
            return getattr(client, method)(url)
        headers = if_match(client, url) if method == "patch" else {}
        return getattr(client, method)(
            url, BODIES[body], content_type="application/json", headers=headers
        )

    assert answers(request, COLUMNS) == expected


@pytest.mark.parametrize("persona", ["agent", "team_lead"])
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"priority": 3}),
        ("post", "transition/", {"status": "triaged"}),
        ("post", "notes/", {"text": "Hej"}),
        ("get", "events/", None),
    ],
)
def test_enquiry_of_another_team_is_not_found(
    client_as, taxonomy, personas, persona, method, suffix, body
):
    letter = services.register_enquiry(
        taxonomy["ministry"], by=personas["admin"], subject="Brev om sikkerhed"
    )
    client = client_as(persona)

    for key in (letter.pk, letter.reference):
        url = f"/api/v1/enquiries/{key}/{suffix}"
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 404
    assert letter.events.count() == 1


def test_agent_sees_only_the_taxonomy_of_own_queues(client_as, taxonomy):
    client = client_as("agent")
    ministry = taxonomy["ministry"]

    assert [q["code"] for q in client.get("/api/v1/queues/").json()] == ["support"]
    assert client.get(f"/api/v1/queues/{ministry.pk}/").status_code == 404
    topics = client.get("/api/v1/topics/").json()
    assert topics and {t["queue"] for t in topics} == {"support"}
    other_topic = Topic.objects.filter(queue=ministry).first()
    assert client.get(f"/api/v1/topics/{other_topic.pk}/").status_code == 404


def test_agent_cannot_log_an_enquiry_in_a_queue_of_another_team(client_as, taxonomy):
    response = client_as("agent").post(
        "/api/v1/enquiries/",
        {"queue": "ministry", "subject": "Brev"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "queue" in response.json()
    assert not Enquiry.objects.exists()
