"""Two API clients change the same row from the same ETag: one wins, none is lost.

One case per API route that changes a row, generated from ROUTES; the first
test checks ROUTES against the URLconf, so a new PATCH or PUT route without
a case here fails the suite.
"""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enquiries import services as enquiry_services
from feedback.models import SurveyResult
from nemid_cases.api import VersionedApiMixin
from nemid_cases.versioning import Versioned
from notices.models import WebhookSubscription
from problems.models import KnownProblem
from tests.factories import (
    ActionFactory,
    CitizenFactory,
    ContactFactory,
    FollowUpFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
    WorkingGroupFactory,
)


@dataclass(frozen=True)
class Route:
    """An API route that changes a row, and two editors' changes of it."""

    name: str
    persona: str
    # Editor A's and editor B's changes: different fields of the same row.
    first: dict[str, Any]
    second: dict[str, Any]

    def __str__(self) -> str:
        return self.name


ROUTES = [
    Route("api:enquiry-detail", "agent", {"subject": "Kode ikke modtaget"}, {"priority": 4}),
    Route("api:citizen-detail", "agent", {"name": "Karen M. Jensen"}, {"phone": "40 50 60 70"}),
    Route("api:action-detail", "secretariat", {"title": "Ny titel"}, {"description": "Ny tekst"}),
    Route("api:surveyresult-detail", "secretariat", {"source": "M3"}, {"notes": "Ny note"}),
    Route("api:organisation-detail", "secretariat", {"name": "DanID A/S"}, {"notes": "Note"}),
    Route("api:contact-detail", "secretariat", {"name": "Ole Hansen"}, {"title": "Chef"}),
    Route("api:workinggroup-detail", "secretariat", {"name": "Gruppe"}, {"purpose": "Formål"}),
    Route("api:meeting-detail", "secretariat", {"title": "Møde"}, {"minutes": "Referat"}),
    Route(
        "api:recommendation-detail",
        "secretariat",
        {"text": "Ny anbefaling"},
        {"received_on": "2010-12-01"},
    ),
    Route("api:followup-detail", "secretariat", {"subject": "Svar"}, {"notes": "Rykket"}),
    Route(
        "api:webhooksubscription-detail",
        "secretariat",
        {"name": "Danske Bank A/S"},
        {"is_active": False},
    ),
    Route(
        "api:knownproblem-detail",
        "secretariat",
        {"title": "Kun netbank efter aktivering"},
        {"workaround": "Ring til DanID."},
    ),
]


@pytest.fixture
def make_row(enquiry, personas):
    def make(route: Route):
        match route.name:
            case "api:enquiry-detail":
                return enquiry
            case "api:citizen-detail":
                citizen = CitizenFactory(name="Karen Jensen")
                enquiry_services.update_enquiry(
                    enquiry, by=personas["agent"], changes={"citizen": citizen}
                )
                return citizen
            case "api:action-detail":
                return ActionFactory()
            case "api:surveyresult-detail":
                return SurveyResult.objects.create(
                    source="A&B",
                    published_on="2010-11-30",
                    respondents=1426,
                    share_satisfied="77.0",
                )
            case "api:organisation-detail":
                return OrganisationFactory()
            case "api:contact-detail":
                return ContactFactory()
            case "api:workinggroup-detail":
                return WorkingGroupFactory()
            case "api:meeting-detail":
                return MeetingFactory()
            case "api:recommendation-detail":
                return RecommendationFactory()
            case "api:followup-detail":
                return FollowUpFactory()
            case "api:webhooksubscription-detail":
                return WebhookSubscription.objects.create(
                    name="Danske Bank", url="https://93.184.215.14/hooks"
                )
            case "api:knownproblem-detail":
                return KnownProblem.objects.create(
                    title="Kun netbank", description="Aktivering kun til netbank."
                )
        raise AssertionError(route.name)

    return make


def _api_edit_routes() -> dict[str, type]:
    """Every URL name whose view changes a row by PATCH or PUT, with its view."""
    found = {}

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                actions = getattr(pattern.callback, "actions", None) or {}
                if {"patch", "put"} & set(actions):
                    found[namespace + pattern.name] = pattern.callback.cls

    walk(get_resolver().url_patterns, "")
    return found


def _patch(client, url: str, body: dict, etag: str | None):
    headers = {"If-Match": etag} if etag is not None else {}
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_every_api_route_that_changes_a_row_has_a_race_case():
    routes = _api_edit_routes()

    assert set(routes) == {route.name for route in ROUTES}
    for name, view in routes.items():
        assert issubclass(view, VersionedApiMixin), name


def test_every_model_changed_through_the_api_carries_a_version(make_row):
    for route in ROUTES:
        assert isinstance(make_row(route), Versioned), route.name


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_second_of_two_patches_from_the_same_etag_is_refused(client_as, make_row, route):
    row = make_row(route)
    url = reverse(route.name, args=[row.pk])
    editor_a, editor_b = client_as(route.persona), client_as(route.persona)
    read_a, read_b = editor_a.get(url), editor_b.get(url)
    assert read_a["ETag"] == read_b["ETag"] == f'"{row.version}"'

    first = _patch(editor_a, url, route.first, read_a["ETag"])
    second = _patch(editor_b, url, route.second, read_b["ETag"])

    assert first.status_code == 200, first.content
    assert first["ETag"] != read_a["ETag"]
    assert second.status_code == 412, second.content
    problem = second.json()
    assert problem["status"] == 412 and problem["detail"]
    assert problem["current_etag"] == second["ETag"] == first["ETag"]
    shown = editor_a.get(url).json()
    for field, value in route.first.items():
        assert shown[field] == value, field
    for field, value in route.second.items():
        assert shown[field] != value, field
    # B reads again and reapplies: now it applies, on top of A's change.
    again = _patch(editor_b, url, route.second, problem["current_etag"])
    assert again.status_code == 200, again.content
    shown = editor_b.get(url).json()
    assert {f: shown[f] for f in route.first} == route.first


@pytest.mark.parametrize("route", ROUTES, ids=str)
@pytest.mark.parametrize(
    ("if_match", "expected"),
    [(None, 428), ("bogus", 412), ('W/"1"', 412), ('"999999"', 412), ("*", 412), ("", 412)],
    ids=["none", "bogus", "weak", "unknown", "star", "empty"],
)
def test_patch_without_the_current_etag_changes_nothing(
    client_as, make_row, route, if_match, expected
):
    row = make_row(route)
    url = reverse(route.name, args=[row.pk])
    client = client_as(route.persona)
    before = client.get(url)

    response = _patch(client, url, route.first, if_match)

    assert response.status_code == expected, response.content
    assert response.json()["status"] == expected
    after = client.get(url)
    assert after.json() == before.json()
    assert after["ETag"] == before["ETag"]


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_refused_change_does_not_move_the_version(client_as, make_row, route):
    row = make_row(route)
    url = reverse(route.name, args=[row.pk])
    client = client_as(route.persona)
    etag = client.get(url)["ETag"]

    bad = _patch(client, url, {next(iter(route.first)): "\x00"}, etag)
    good = _patch(client, url, route.first, etag)

    assert bad.status_code == 400, bad.content
    assert good.status_code == 200, good.content


def test_a_list_of_etags_matches_if_one_is_current(client_as, enquiry):
    url = reverse("api:enquiry-detail", args=[enquiry.pk])
    client = client_as("agent")
    etag = client.get(url)["ETag"]

    response = _patch(client, url, {"priority": 4}, f'"999", {etag}')

    assert response.status_code == 200


def test_schema_documents_if_match_412_and_428_on_every_change(client_as):
    schema = client_as("admin").get("/api/schema/?format=json").json()
    changes = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("patch", "put")
    ]

    assert len(changes) == len(ROUTES)
    for path, _method, operation in changes:
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True, path
        assert {"200", "412", "428"} <= set(operation["responses"]), path
        assert "ETag" in operation["responses"]["200"]["headers"], path
    posts = [item["post"] for item in schema["paths"].values() if "post" in item]
    for operation in posts:
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "Idempotency-Key" in names, operation["operationId"]
