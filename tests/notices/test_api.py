"""The outage-notice API: who may call each route, and clear 400s for bad input.

API is read by tests/accounts/test_route_tables.py, which fails when a
notices API route or method has no row here.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from notices.models import Incident, IncidentUpdate, StandardText, WebhookSubscription
from tests.permissions import answer, cases_by_role

# fmt: off
#   method  path                                       body       agent lead secr mgr admin anon
API = [
    ("get",  "/api/v1/incidents/", None,                          200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/incidents/", "publish",                     403, 403, 201, 201, 201, 401),
    ("get",  "/api/v1/incidents/{incident}/", None,               200, 200, 200, 200, 200, 401),
    ("get",  "/api/v1/incidents/{incident}/updates/", None,       200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/incidents/{incident}/updates/", "update",   403, 403, 201, 201, 201, 401),
    ("post", "/api/v1/incidents/{incident}/resolve/", "resolve",  403, 403, 200, 200, 200, 401),
    ("get",  "/api/v1/standard-texts/", None,                     200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/standard-texts/", "text",                   403, 403, 201, 201, 201, 401),
    ("get",  "/api/v1/standard-texts/{text}/", None,              200, 200, 200, 200, 200, 401),
    ("get",  "/api/v1/webhook-subscriptions/", None,              403, 403, 200, 200, 200, 401),
    ("post", "/api/v1/webhook-subscriptions/", "subscribe",       403, 403, 201, 403, 201, 401),
    ("get",  "/api/v1/webhook-subscriptions/{hook}/", None,       403, 403, 200, 200, 200, 401),
    ("patch", "/api/v1/webhook-subscriptions/{hook}/", "pause",   403, 403, 200, 403, 200, 401),
    ("delete", "/api/v1/webhook-subscriptions/{hook}/", None,     403, 403, 204, 403, 204, 401),
    ("get",  "/api/v1/webhook-subscriptions/{hook}/deliveries/", None,
                                                                  403, 403, 200, 200, 200, 401),
]
# fmt: on

BODIES = {
    "publish": {
        "title_da": "Signering er nede",
        "title_en": "Signing is down",
        "services": ["signing"],
        "severity": "major",
        "started_at": "2026-12-07T09:00:00+01:00",
        "text_code": "login-down",
    },
    "update": {"text_code": "login-down"},
    "resolve": {"text_code": "fixed"},
    "text": {"code": "login-down", "kind": "incident", "text_da": "Ny", "text_en": "New"},
    "subscribe": {"name": "Danske Bank", "url": "https://93.184.215.14/hooks", "services": []},
    "pause": {"is_active": False},
}


def _counts() -> tuple[int, ...]:
    return (
        Incident.objects.count(),
        IncidentUpdate.objects.count(),
        StandardText.objects.count(),
        WebhookSubscription.objects.count(),
        WebhookSubscription.objects.filter(is_active=True).count(),
    )


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(API))
def test_who_may_call_each_notices_api_route(
    client_as, publish, texts, method, path, body, role, expected
):
    incident = publish()
    hook = WebhookSubscription.objects.create(name="Bank", url="https://93.184.215.14/")
    url = path.format(incident=incident.pk, text=texts["down"].pk, hook=hook.pk)
    before = _counts()

    # A change names the version it was read at (If-Match, nemid_cases/api.py).
    headers = {"If-Match": f'"{hook.version}"'} if method == "patch" else {}
    response = getattr(client_as(role), method)(
        url, BODIES.get(body), content_type="application/json", headers=headers
    )

    assert answer(response) == expected
    if expected in (401, 403):
        assert _counts() == before


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_publishing_an_unknown_service_is_a_400_naming_the_field(client_as, texts):
    body = BODIES["publish"] | {"services": ["login", "teleportation"]}

    response = post(client_as("secretariat"), "/api/v1/incidents/", body)

    assert response.status_code == 400
    assert response.json() == {"services": ["Unknown service: teleportation."]}
    assert not Incident.objects.exists()


def test_an_expected_end_before_the_start_is_a_400_naming_the_field(client_as, texts):
    body = BODIES["publish"] | {"expected_end_at": "2026-12-07T08:00:00+01:00"}

    response = post(client_as("secretariat", language="da"), "/api/v1/incidents/", body)

    assert response.status_code == 400
    assert response.json() == {
        "expected_end_at": ["Den forventede afslutning kan ikke ligge før starten."]
    }
    assert not Incident.objects.exists() and not IncidentUpdate.objects.exists()


def test_an_unknown_standard_text_is_a_400_and_saves_nothing(client_as, texts):
    body = BODIES["publish"] | {"text_code": "no-such-text"}

    response = post(client_as("manager"), "/api/v1/incidents/", body)

    assert response.status_code == 400
    assert "text_code" in response.json()
    assert not Incident.objects.exists()


def test_resolving_with_an_end_before_the_start_is_a_400(client_as, publish):
    incident = publish()
    ended = (incident.started_at - timedelta(hours=1)).isoformat()

    response = post(
        client_as("secretariat"),
        f"/api/v1/incidents/{incident.pk}/resolve/",
        {"text_code": "fixed", "ended_at": ended},
    )

    assert response.status_code == 400
    assert "ended_at" in response.json()
    incident.refresh_from_db()
    assert incident.is_ongoing


def test_publish_update_and_resolve_through_the_api(client_as, texts):
    client = client_as("secretariat")

    created = post(client, "/api/v1/incidents/", BODIES["publish"]).json()
    post(client, f"/api/v1/incidents/{created['id']}/updates/", {"text_code": "login-down"})
    resolved = post(client, f"/api/v1/incidents/{created['id']}/resolve/", {"text_code": "fixed"})
    updates = client.get(f"/api/v1/incidents/{created['id']}/updates/").json()

    assert created["status"] == "ongoing" and created["services"] == ["signing"]
    assert resolved.json()["status"] == "resolved"
    assert [u["kind"] for u in updates] == ["published", "update", "resolved"]
    assert updates[0]["standard_text"] == {"code": "login-down", "version": 1}
    assert updates[2]["text_en"] == texts["fixed"].text_en


def test_adding_a_standard_text_through_the_api_adds_the_next_version(client_as, texts):
    client = client_as("secretariat")

    response = post(client, "/api/v1/standard-texts/", BODIES["text"])
    versions = client.get("/api/v1/standard-texts/", {"code": "login-down"}).json()

    assert response.status_code == 201
    assert response.json()["version"] == 2
    assert [v["version"] for v in versions] == [2, 1]
    texts["down"].refresh_from_db()
    assert texts["down"].text_da.startswith("Log-in med NemID")


def test_the_incident_list_costs_the_same_queries_for_1_and_25(client_as, publish):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("agent")
    publish()
    client.get("/api/v1/incidents/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/incidents/")
    for n in range(24):
        publish(started_at=timezone.now() - timedelta(hours=n + 1))

    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/incidents/")

    assert len(response.json()["results"]) == 25
    assert len(many) == len(one)


def test_a_start_outside_2000_to_2099_is_a_400(client_as, texts):
    body = BODIES["publish"] | {"started_at": "0130-01-22T14:16:27Z"}

    response = post(client_as("secretariat"), "/api/v1/incidents/", body)

    assert response.status_code == 400
    assert "started_at" in response.json()


@pytest.mark.parametrize(
    ("url", "services"),
    [
        ("ftp://bank.example/hooks", []),
        ("http://127.0.0.1:8000/", []),
        ("http://10.1.2.3/hooks", []),
        ("https://93.184.215.14/hooks", ["teleportation"]),
    ],
)
def test_a_subscription_with_a_bad_url_or_service_is_a_400(client_as, db, url, services):
    body = {"name": "Bank", "url": url, "services": services}

    response = post(client_as("secretariat"), "/api/v1/webhook-subscriptions/", body)

    assert response.status_code == 400
    assert set(response.json()) <= {"url", "services"} and response.json()
    assert not WebhookSubscription.objects.exists()


def test_the_secret_is_shown_once_when_subscribing(client_as, db):
    client = client_as("secretariat")

    created = post(client, "/api/v1/webhook-subscriptions/", BODIES["subscribe"]).json()
    shown = client.get(f"/api/v1/webhook-subscriptions/{created['id']}/").json()

    assert created["secret"].startswith("whsec_")
    assert "secret" not in shown


@pytest.mark.parametrize("services", [[1, 2], ["x" * 60], "login", []])
def test_bad_services_get_a_flat_list_of_messages(client_as, texts, services):
    body = BODIES["publish"] | {"services": services}

    response = post(client_as("secretariat"), "/api/v1/incidents/", body)

    assert response.status_code == 400
    assert all(isinstance(m, str) for m in response.json()["services"])
