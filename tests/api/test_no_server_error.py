"""Issue 8, "no 500 on any input": each input found to give a 500 is now a 400.

NUL bytes (PostgreSQL refuses them with an error), a duplicate unique value,
JSON nested thousands deep, a huge body, and dates at the ends of the
calendar. Run these on PostgreSQL too: SQLite stores NUL without complaint.
"""

import datetime
import json

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from rest_framework.views import APIView

from actions.models import Action
from enquiries.models import Citizen, Enquiry
from nemid_cases.api import exception_handler
from nemid_cases.parsers import MAX_JSON_DEPTH
from stakeholders.models import Meeting, WorkingGroup
from tests.factories import (
    ActionFactory,
    ContactFactory,
    OrganisationFactory,
    ThemeFactory,
    WorkingGroupFactory,
)

NUL_MESSAGE = "Null characters are not allowed."


@pytest.fixture
def danid(db):
    return OrganisationFactory(code="danid", name="DanID", kind="operator")


@pytest.fixture
def theme(db):
    return ThemeFactory(code="support", name_da="Support", name_en="Support")


@pytest.fixture
def action(personas, danid, theme):
    return ActionFactory(title="Flere medarbejdere", owner=danid, theme=theme)


ACTION = {"title": "Driftstatus", "theme": "support", "owner": "danid"}


def _send(client, method, url, body):
    text = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, text, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({**ACTION, "owner": "dan\x00id"}, {"owner": [NUL_MESSAGE]}),
        ({**ACTION, "theme": "\x00"}, {"theme": [NUL_MESSAGE]}),
        ({**ACTION, "title": "Drift\x00"}, {"title": [NUL_MESSAGE]}),
        ({**ACTION, "origin_topics": ["1\x00"]}, {"origin_topics": [NUL_MESSAGE]}),
        ({**ACTION, "ti\x00tle": "x"}, {"title": [NUL_MESSAGE]}),
    ],
    ids=["owner", "theme", "title", "list-item", "key"],
)
def test_nul_in_an_action_is_a_400_naming_the_field(client_as, danid, theme, body, errors):
    response = _send(client_as("secretariat"), "post", "/api/v1/actions/", body)

    assert response.status_code == 400, response.content
    assert response.json() == errors
    assert not Action.objects.exists()


@pytest.mark.parametrize("field", ["owner", "theme", "title", "description", "due_phrase"])
def test_nul_in_an_action_patch_is_a_400_and_changes_nothing(client_as, action, field):
    response = _send(
        client_as("secretariat"), "patch", f"/api/v1/actions/{action.pk}/", {field: "a\x00b"}
    )

    assert response.status_code == 400, response.content
    assert response.json() == {field: [NUL_MESSAGE]}
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.owner_id, fresh.theme_id, fresh.title) == (
        action.owner_id,
        action.theme_id,
        action.title,
    )


def test_nul_in_a_nested_body_names_the_nested_field(client_as, action):
    response = _send(
        client_as("secretariat"),
        "post",
        f"/api/v1/actions/{action.pk}/status/",
        {"status": "insufficient", "new_follow_up": {"title": "Ny", "owner": "dan\x00id"}},
    )

    assert response.status_code == 400, response.content
    assert response.json() == {"new_follow_up": {"owner": [NUL_MESSAGE]}}


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/citizens/", {"name": "Ole", "phone": "\x00"}, "phone"),
        ("/api/v1/organisations/", {"name": "Org", "code": "o\x00"}, "code"),
        ("/api/v1/working-groups/", {"name": "WG\x00", "members": [1]}, "name"),
        ("/api/v1/meetings/", {"title": "M", "held_on": "2010-11-0\x00"}, "held_on"),
        (
            "/api/v1/enquiries/",
            {"queue": "support", "subject": "S", "assignee": "\x00"},
            "assignee",
        ),
    ],
)
def test_nul_anywhere_in_any_api_body_is_a_400_naming_the_field(
    client_as, taxonomy, url, body, field
):
    response = _send(client_as("admin"), "post", url, body)

    assert response.status_code == 400, response.content
    assert response.json() == {field: [NUL_MESSAGE]}


def test_nul_message_is_danish_for_a_danish_user(client_as, danid, theme):
    response = _send(
        client_as("secretariat", language="da"),
        "post",
        "/api/v1/actions/",
        {**ACTION, "owner": "\x00"},
    )

    assert response.status_code == 400
    assert response.json()["owner"] == ["Nul-tegn er ikke tilladt."]


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_duplicate_working_group_code_is_a_400_naming_the_code(client_as, method):
    taken = WorkingGroupFactory(code="sikkerhed")
    other = WorkingGroupFactory(code="support")
    member = OrganisationFactory()
    body = {"code": taken.code, "name": "Endnu en", "members": [member.pk]}
    url = "/api/v1/working-groups/" + ("" if method == "post" else f"{other.pk}/")

    response = _send(client_as("secretariat"), method, url, body)

    assert response.status_code == 400, response.content
    assert "already exists" in response.json()["code"][0]
    assert WorkingGroup.objects.filter(code="sikkerhed").count() == 1


def test_a_working_group_may_keep_its_own_code(client_as):
    group = WorkingGroupFactory(code="sikkerhed")

    response = _send(
        client_as("secretariat"),
        "patch",
        f"/api/v1/working-groups/{group.pk}/",
        {"code": "sikkerhed", "purpose": "Ny"},
    )

    assert response.status_code == 200, response.content


def test_an_integrity_error_that_slips_through_is_a_409_not_a_500(db):
    response = exception_handler(
        IntegrityError("duplicate key value violates unique constraint"),
        {"view": APIView(), "request": None},
    )

    assert response.status_code == 409
    assert "unique" in str(response.data["detail"])


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "url",
    ["/api/v1/enquiries/", "/api/v1/citizens/", "/api/v1/actions/", "/api/v1/meetings/"],
)
@pytest.mark.parametrize("depth", [5000, MAX_JSON_DEPTH + 1])
def test_deeply_nested_json_is_a_400(client_as, taxonomy, url, depth):
    response = client_as("admin").post(url, _nested(depth), content_type="application/json")

    assert response.status_code == 400, response.content[:300]
    assert "nests deeper" in response.json()["detail"]


def test_deeply_nested_object_inside_a_field_is_a_400(client_as, taxonomy):
    value: dict = {}
    for _level in range(MAX_JSON_DEPTH):
        value = {"a": value}
    response = _send(
        client_as("admin"), "post", "/api/v1/enquiries/", {"queue": "support", "subject": value}
    )

    assert response.status_code == 400
    assert not Enquiry.objects.exists()


def test_nesting_up_to_the_limit_reaches_the_serializer(client_as, taxonomy):
    response = client_as("admin").post(
        "/api/v1/enquiries/", _nested(MAX_JSON_DEPTH), content_type="application/json"
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_body_over_the_upload_limit_is_a_413(client_as, taxonomy, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = {"name": "Ole", "address": "x" * 10_000}

    response = _send(client_as("admin"), "post", "/api/v1/citizens/", body)

    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is too large."
    assert not Citizen.objects.exists()


def test_the_upload_limit_is_set_and_leaves_room_for_the_longest_texts(settings):
    assert 100_000 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440


OUT_OF_WINDOW = [
    ("0001-01-01T00:00:00+14:00", "out of range"),
    ("0062-09-14T10:00:00+00:50", "cannot be before"),
    ("1800-01-01T00:00:00Z", "cannot be before"),
    ("2009-12-31T22:59:00Z", "cannot be before"),
    ("9999-12-31T23:59:59-14:00", "out of range"),
]


@pytest.mark.parametrize(("received_at", "message"), OUT_OF_WINDOW)
def test_received_at_outside_the_window_is_a_400_in_the_api(
    client_as, taxonomy, received_at, message
):
    response = _send(
        client_as("agent"),
        "post",
        "/api/v1/enquiries/",
        {"queue": "support", "subject": "Hej", "received_at": received_at},
    )

    assert response.status_code == 400, response.content
    assert message in response.json()["received_at"][0]
    assert not Enquiry.objects.exists()


def test_received_at_a_few_minutes_ahead_is_clock_skew_and_accepted(client_as, taxonomy):
    soon = (timezone.now() + datetime.timedelta(minutes=2)).isoformat()
    later = (timezone.now() + datetime.timedelta(minutes=10)).isoformat()
    client = client_as("agent")

    ok = _send(client, "post", "/api/v1/enquiries/", {**_enquiry(), "received_at": soon})
    future = _send(client, "post", "/api/v1/enquiries/", {**_enquiry(), "received_at": later})

    assert ok.status_code == 201, ok.content
    assert future.status_code == 400
    assert "future" in future.json()["received_at"][0]


def test_the_first_moment_of_2010_is_accepted(client_as, taxonomy):
    response = _send(
        client_as("agent"),
        "post",
        "/api/v1/enquiries/",
        {**_enquiry(), "received_at": "2010-01-01T00:00:00+01:00"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("NID-2010-")


def _enquiry() -> dict:
    return {"queue": "support", "subject": "Hej"}


@pytest.mark.parametrize(("received_at", "message"), OUT_OF_WINDOW)
def test_received_at_outside_the_window_is_a_field_error_in_the_form(
    client_as, taxonomy, received_at, message
):
    response = client_as("agent").post(
        reverse("enquiries:create"),
        {
            "queue": taxonomy["support"].pk,
            "subject": "Hej",
            "channel": "phone",
            "language": "da",
            "priority": "2",
            "received_at": received_at,
        },
    )

    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert "received_at" in errors, errors
    assert not Enquiry.objects.exists()


def test_received_at_out_of_range_is_translated(client_as, taxonomy):
    response = _send(
        client_as("agent", language="da"),
        "post",
        "/api/v1/enquiries/",
        {**_enquiry(), "received_at": "0001-01-01T00:00:00+14:00"},
    )

    assert response.status_code == 400
    assert response.json()["received_at"] == ["Dato og klokkeslæt ligger uden for det mulige."]


def test_meeting_and_contact_nul_leave_nothing_behind(client_as):
    organisation = OrganisationFactory()
    ContactFactory(organisation=organisation)

    response = _send(
        client_as("secretariat"),
        "post",
        "/api/v1/meetings/",
        {
            "title": "M",
            "held_on": "2010-11-09",
            "organisations": [organisation.pk],
            "agenda": "\x00",
        },
    )

    assert response.status_code == 400
    assert response.json() == {"agenda": [NUL_MESSAGE]}
    assert not Meeting.objects.exists()
