"""The outage-notice API: who may call each route, and clear 400s for bad input.

API is read by tests/accounts/test_route_tables.py, which fails when a
notices API route or method has no row here.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from notices.models import (
    Incident,
    IncidentUpdate,
    PublicationDraft,
    StandardText,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.permissions import answer, cases_by_role

# fmt: off
#   method  path                                       body       agent lead secr mgr admin anon
API = [
    ("get",  "/api/v1/incidents/", None,                          200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/incidents/", "publish",                     403, 403, 202, 201, 201, 401),
    ("get",  "/api/v1/incidents/{incident}/", None,               200, 200, 200, 200, 200, 401),
    ("get",  "/api/v1/incidents/{incident}/updates/", None,       200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/incidents/{incident}/updates/", "update",   403, 403, 201, 201, 201, 401),
    ("post", "/api/v1/incidents/{incident}/resolve/", "resolve",  403, 403, 200, 200, 200, 401),
    ("get",  "/api/v1/standard-texts/", None,                     200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/standard-texts/", "text",                   403, 403, 202, 201, 201, 401),
    ("get",  "/api/v1/standard-texts/{text}/", None,              200, 200, 200, 200, 200, 401),
    ("get",  "/api/v1/webhook-subscriptions/", None,              403, 403, 200, 200, 200, 401),
    ("post", "/api/v1/webhook-subscriptions/", "subscribe",       403, 403, 201, 403, 201, 401),
    ("get",  "/api/v1/webhook-subscriptions/{hook}/", None,       403, 403, 200, 200, 200, 401),
    ("patch", "/api/v1/webhook-subscriptions/{hook}/", "pause",   403, 403, 200, 403, 200, 401),
    ("delete", "/api/v1/webhook-subscriptions/{hook}/", None,     403, 403, 204, 403, 204, 401),
    ("get",  "/api/v1/webhook-subscriptions/{hook}/deliveries/", None,
                                                                  403, 403, 200, 200, 200, 401),
    ("get",  "/api/v1/publication-drafts/", None,                 403, 403, 200, 200, 200, 401),
    ("get",  "/api/v1/publication-drafts/{draft}/", None,         403, 403, 200, 200, 200, 401),
    ("post", "/api/v1/publication-drafts/{draft}/approve/", None, 403, 403, 403, 200, 200, 401),
    ("post", "/api/v1/publication-drafts/{draft}/reject/", "reject",
                                                                  403, 403, 403, 200, 200, 401),
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
    "reject": {"reason": "Titlen er forkert."},
}


def _counts() -> tuple[int, ...]:
    return (
        Incident.objects.count(),
        IncidentUpdate.objects.count(),
        StandardText.objects.count(),
        WebhookSubscription.objects.count(),
        WebhookSubscription.objects.filter(is_active=True).count(),
        PublicationDraft.objects.filter(status=PublicationDraft.Status.PENDING).count(),
    )


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(API))
def test_who_may_call_each_notices_api_route(
    client_as, publish, texts, draft, method, path, body, role, expected
):
    incident = publish()
    hook = WebhookSubscription.objects.create(name="Bank", url="https://93.184.215.14/")
    url = path.format(incident=incident.pk, text=texts["down"].pk, hook=hook.pk, draft=draft.pk)
    before = _counts()

    # A change names the version it was read at (If-Match, nemid_cases/api.py).
    headers = {"If-Match": f'"{hook.version}"'} if method == "patch" else {}
    if method == "post" and "{draft}" in path:
        headers = {"If-Match": f'"{draft.version}"'}
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
    client = client_as("manager")

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
    client = client_as("manager")

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


def _decide(client, draft_id: int, action: str, etag: str | None, body=None):
    headers = {"If-Match": etag} if etag else {}
    return client.post(
        f"/api/v1/publication-drafts/{draft_id}/{action}/",
        body or {},
        content_type="application/json",
        headers=headers,
    )


def test_the_secretariats_incident_waits_for_a_managers_approval(
    client_as, texts, personas, django_capture_on_commit_callbacks
):
    secretariat, manager = client_as("secretariat"), client_as("manager")

    with django_capture_on_commit_callbacks(execute=True):
        submitted = post(secretariat, "/api/v1/incidents/", BODIES["publish"])
    draft_id = submitted.json()["id"]
    feed_before = client_as("anonymous").get("/status/feed.json").json()
    pending = manager.get("/api/v1/publication-drafts/", {"status": "pending"}).json()
    etag = manager.get(f"/api/v1/publication-drafts/{draft_id}/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        approved = _decide(manager, draft_id, "approve", etag)

    assert submitted.status_code == 202
    assert submitted["Location"] == f"/api/v1/publication-drafts/{draft_id}/"
    assert submitted.json()["status"] == "pending"
    assert feed_before["incidents"] == []
    assert [d["id"] for d in pending["results"]] == [draft_id]
    assert approved.status_code == 200, approved.json()
    assert approved["ETag"] != etag
    assert approved.json()["status"] == "approved"
    assert [e["kind"] for e in approved.json()["events"]] == ["submitted", "approved"]
    incident = Incident.objects.get()
    assert approved.json()["incident"] == incident.pk
    assert incident.published_by == personas["secretariat"]
    feed = client_as("anonymous").get("/status/feed.json").json()
    assert [i["id"] for i in feed["incidents"]] == [incident.pk]


def test_approving_without_or_with_a_stale_etag_publishes_nothing(client_as, draft):
    manager = client_as("manager")

    missing = _decide(manager, draft.pk, "approve", None)
    stale = _decide(manager, draft.pk, "approve", f'"{draft.version + 1}"')

    assert (missing.status_code, stale.status_code) == (428, 412)
    assert stale.json()["current_etag"] == f'"{draft.version}"'
    assert not Incident.objects.exists()
    draft.refresh_from_db()
    assert draft.is_pending


def test_a_rejection_needs_a_reason_and_publishes_nothing(client_as, draft):
    manager = client_as("manager")
    etag = f'"{draft.version}"'

    empty = _decide(manager, draft.pk, "reject", etag, {"reason": "  "})
    rejected = _decide(manager, draft.pk, "reject", etag, BODIES["reject"])
    again = _decide(manager, draft.pk, "approve", rejected["ETag"])

    assert empty.status_code == 400 and "reason" in empty.json()
    assert rejected.status_code == 200
    assert rejected.json()["rejection_reason"] == "Titlen er forkert."
    assert again.status_code == 400 and "status" in again.json()
    assert not Incident.objects.exists() and not WebhookDelivery.objects.exists()


def test_an_approver_never_approves_their_own_draft(client_as, draft, personas):
    from django.contrib.auth.models import Permission

    author = personas["secretariat"]
    author.user_permissions.add(Permission.objects.get(codename="approve_publicationdraft"))

    response = _decide(client_as("secretariat"), draft.pk, "approve", f'"{draft.version}"')

    assert response.status_code == 400
    assert "status" in response.json()
    assert not Incident.objects.exists()


def test_a_secretariat_standard_text_version_waits_for_approval(client_as, texts):
    response = post(client_as("secretariat"), "/api/v1/standard-texts/", BODIES["text"])

    assert response.status_code == 202
    assert response.json()["kind"] == "standard_text"
    assert StandardText.objects.filter(code="login-down").count() == 1

    etag = f'"{PublicationDraft.objects.get().version}"'
    approved = _decide(client_as("manager"), response.json()["id"], "approve", etag)

    assert approved.json()["standard_text"] == {"code": "login-down", "version": 2}
    assert StandardText.current("login-down").text_da == "Ny"


def test_an_unknown_draft_status_filter_is_a_400(client_as, draft):
    response = client_as("manager").get("/api/v1/publication-drafts/", {"status": "maybe"})

    assert response.status_code == 400
    assert "status" in response.json()


def test_the_draft_list_costs_the_same_queries_for_1_and_25(client_as, draft, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("manager")
    client.get("/api/v1/publication-drafts/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/publication-drafts/")
    for _n in range(24):
        PublicationDraft.objects.create(
            kind=PublicationDraft.Kind.STANDARD_TEXT,
            payload={"code": "x", "text_da": "a", "text_en": "b"},
            created_by=personas["secretariat"],
        )

    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/publication-drafts/")

    assert len(response.json()["results"]) == 25
    assert len(many) == len(one)
