"""Bad input: a 400 naming the field with a translated message, nothing saved, no 500."""

import json

import pytest
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enquiries.models import Citizen, CprReveal, Enquiry, EnquiryEvent, Topic
from tests.etags import patch_json

BIG = 2**70
# A CPR number typed into free text, which is stored plainly.
IN_TEXT = "Borgeren oplyste 070342-1234"
CPR_IN_TEXT = "looks like a CPR number"


def counts() -> tuple[int, ...]:
    """Rows of every table a bad request might half-write."""
    return (
        Enquiry.objects.count(),
        EnquiryEvent.objects.count(),
        Citizen.objects.count(),
        Enquiry.additional_topics.through.objects.count(),
    )


@pytest.fixture
def refs(enquiry, category, ministry_category, taxonomy):
    return {
        "enquiry": enquiry.pk,
        "category": category.pk,
        "other_queue_category": ministry_category.pk,
        "other_queue_topic": Topic.objects.filter(queue=taxonomy["ministry"]).first().pk,
        "citizen": enquiry.citizen_id,
    }


VALID = {"queue": "support", "subject": "Kan ikke aktivere"}

# (body or raw JSON text, the field the 400 names)
CREATE_CASES = [
    ("{", "detail"),
    ('{"queue": "support", "subject": }', "detail"),
    ("[]", "non_field_errors"),
    ("null", "non_field_errors"),
    ('"subject"', "non_field_errors"),
    ({}, "subject"),
    ({"subject": "Hej"}, "queue"),
    ({**VALID, "subject": ""}, "subject"),
    ({**VALID, "subject": "   "}, "subject"),
    ({**VALID, "subject": "x" * 201}, "subject"),
    ({**VALID, "description": "x" * 20001}, "description"),
    ({**VALID, "subject": "Hej\x00med NUL"}, "subject"),
    ({**VALID, "description": "\x00"}, "description"),
    ({**VALID, "queue": "sup\x00port"}, "queue"),
    ({**VALID, "assignee": "agent\x00"}, "assignee"),
    ('{"queue": "support", "subject": "lone \\ud800 surrogate"}', "subject"),
    ({**VALID, "subject": ["a list"]}, "subject"),
    ({**VALID, "subject": {"an": "object"}}, "subject"),
    ({**VALID, "priority": "high"}, "priority"),
    ({**VALID, "priority": 9}, "priority"),
    ({**VALID, "channel": "fax"}, "channel"),
    ({**VALID, "language": "xx"}, "language"),
    ({**VALID, "received_at": "yesterday"}, "received_at"),
    ({**VALID, "received_at": "2999-01-01T00:00:00Z"}, "received_at"),
    ({**VALID, "received_at": "0001-01-01T00:00:00+14:00"}, "received_at"),
    ({**VALID, "queue": "nowhere"}, "queue"),
    ({**VALID, "queue": 7}, "queue"),
    ({**VALID, "queue": "x" * 1000}, "queue"),
    ({**VALID, "category": 999999}, "category"),
    ({**VALID, "category": BIG}, "category"),
    ({**VALID, "category": -1}, "category"),
    ({**VALID, "category": "abc"}, "category"),
    ({**VALID, "category": True}, "category"),
    ({**VALID, "category": "{other_queue_category}"}, "category"),
    ({**VALID, "additional_topics": "abc"}, "additional_topics"),
    ({**VALID, "additional_topics": [BIG]}, "additional_topics"),
    ({**VALID, "additional_topics": ["{other_queue_topic}"]}, "additional_topics"),
    ({**VALID, "citizen": 999999}, "citizen"),
    ({**VALID, "citizen": {"id": 1}}, "citizen"),
    ({**VALID, "assignee": "nobody"}, "assignee"),
    ({**VALID, "assignee": "secretariat"}, "assignee"),
    ({**VALID, "assignee": 12}, "assignee"),
    ({**VALID, "status": "resolved"}, "status"),
    ({**VALID, "subject": IN_TEXT}, "subject"),
    ({**VALID, "description": "Ring 0703421234"}, "description"),
]


def _fill(body, refs):
    """Put fixture ids where a case says "{name}"."""
    if isinstance(body, str):
        return body
    text = json.dumps(body)
    for name, value in refs.items():
        text = text.replace(f'"{{{name}}}"', str(value))
    return text


@pytest.mark.parametrize(("body", "field"), CREATE_CASES, ids=lambda v: repr(v)[:50])
def test_bad_enquiry_is_refused_with_a_400_naming_the_field(client_as, refs, body, field):
    before = counts()

    response = client_as("agent").post(
        "/api/v1/enquiries/", _fill(body, refs), content_type="application/json"
    )

    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field]) or isinstance(errors[field], str)
    assert counts() == before


PATCH_CASES = [
    ("{", "detail"),
    ({"subject": ""}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"subject": "a\x00b"}, "subject"),
    ({"priority": "urgent"}, "priority"),
    ({"category": "{other_queue_category}"}, "category"),
    ({"additional_topics": ["{other_queue_topic}"]}, "additional_topics"),
    ({"category": 999999, "priority": 4}, "category"),
    ({"queue": "ministry"}, "queue"),
    ({"description": IN_TEXT}, "description"),
    ({"assignee": "manager"}, "assignee"),
    ({"status": "closed"}, "status"),
    ({"reference": 5, "resolution": "x"}, "resolution"),
]


@pytest.mark.parametrize(("body", "field"), PATCH_CASES, ids=lambda v: repr(v)[:50])
def test_bad_change_is_refused_and_nothing_changes(client_as, refs, enquiry, body, field):
    before = counts()

    response = patch_json(client_as("agent"), f"/api/v1/enquiries/{enquiry.pk}/", _fill(body, refs))

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before
    fresh = Enquiry.objects.get(pk=enquiry.pk)
    assert (fresh.priority, fresh.category_id, fresh.subject) == (
        enquiry.priority,
        enquiry.category_id,
        enquiry.subject,
    )


@pytest.mark.parametrize(
    ("suffix", "body", "field"),
    [
        ("transition/", {"status": "closed"}, "status"),
        ("transition/", {"status": "bogus"}, "status"),
        ("transition/", {}, "status"),
        ("transition/", {"status": 3}, "status"),
        ("transition/", {"status": "resolved"}, "resolution"),
        ("transition/", {"status": "resolved", "resolution": "x" * 20001}, "resolution"),
        ("transition/", {"status": "triaged", "note": "a\x00"}, "note"),
        ("transition/", "{", "detail"),
        ("transition/", {"status": "triaged", "note": IN_TEXT}, "note"),
        ("transition/", {"status": "resolved", "resolution": IN_TEXT}, "resolution"),
        ("reopen/", {}, "status"),
        ("reopen/", {"note": ["x"]}, "note"),
        ("notes/", {}, "text"),
        ("notes/", {"text": "   "}, "text"),
        ("notes/", {"text": "x" * 20001}, "text"),
        ("notes/", {"text": "\x00"}, "text"),
        ("notes/", '{"text": Infinity}', "detail"),
        ("notes/", '{"text": NaN}', "detail"),
        ("notes/", {"text": IN_TEXT}, "text"),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_bad_workflow_step_is_refused_and_nothing_is_written(
    client_as, enquiry, suffix, body, field
):
    before = counts()

    response = client_as("agent").post(
        f"/api/v1/enquiries/{enquiry.pk}/{suffix}", body, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before
    assert Enquiry.objects.get(pk=enquiry.pk).status == Enquiry.Status.NEW


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Ole", "cpr": "12345"}, "cpr"),
        ({"name": "Ole", "cpr": "abcdef-ghij"}, "cpr"),
        ({"name": "Ole", "cpr": "310280-1234"}, "cpr"),
        ({"name": "Ole", "cpr": "320180-1234"}, "cpr"),
        ({"name": "Ole", "cpr": "010150-5234"}, "cpr"),
        ({"name": "Ole", "cpr": "0101801234\x00"}, "cpr"),
        ({"name": "Ole", "cpr": 101801234}, "cpr"),
        ({"name": ""}, "name"),
        ({"cpr": "0202904321"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ole\x00"}, "name"),
        ({"name": "Ole", "email": "not-an-e-mail"}, "email"),
        ({"name": "Ole", "phone": "1" * 31}, "phone"),
        ({"name": "Ole", "address": "x" * 2001}, "address"),
        ({"name": "Ole", "needs_large_print": "maybe"}, "needs_large_print"),
        ({"name": ["Ole"]}, "name"),
        ({"name": "Ole 0703421234"}, "name"),
        ({"name": "Ole", "address": f"Vejen 1. {IN_TEXT}"}, "address"),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_bad_citizen_is_refused_with_a_400_naming_the_field(client_as, body, field):
    before = counts()

    response = client_as("agent").post("/api/v1/citizens/", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("cpr", "message"),
    [
        ("12345", "Enter a CPR number as ten digits"),
        ("310280-1234", "does not start with a valid date"),
        ("010150-5234", "in the future"),
    ],
)
def test_invalid_cpr_says_what_is_wrong_in_lookup(client_as, cpr, message):
    response = client_as("agent").post(
        "/api/v1/citizens/lookup/", {"cpr": cpr}, content_type="application/json"
    )

    assert response.status_code == 400
    assert message in response.json()["cpr"][0]


def test_a_cpr_number_in_free_text_is_refused_with_the_pages_message(client_as, citizen):
    subject = client_as("agent").post(
        "/api/v1/enquiries/", {**VALID, "subject": IN_TEXT}, content_type="application/json"
    )
    reveal = client_as("team_lead").post(
        f"/api/v1/citizens/{citizen.pk}/reveal-cpr/",
        {"reason": IN_TEXT},
        content_type="application/json",
    )

    assert subject.status_code == reveal.status_code == 400
    assert CPR_IN_TEXT in subject.json()["subject"][0]
    assert CPR_IN_TEXT in reveal.json()["reason"][0]
    assert not CprReveal.objects.exists()
    assert not Enquiry.objects.exists()


def test_messages_are_translated_to_the_requested_language(client_as, support):
    response = client_as("agent", language="da").post(
        "/api/v1/enquiries/",
        {"queue": "support"},
        content_type="application/json",
    )

    assert response.json() == {"subject": ["Dette felt er påkrævet."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/enquiries/?q=a%00b",
        "/api/v1/enquiries/?status=new%00",
        "/api/v1/enquiries/?%00=1",
        "/api/v1/citizens/?q=Karen%00",
        "/api/v1/categories/?q=%00",
    ],
)
def test_nul_in_a_query_parameter_is_a_json_400_naming_it(client_as, enquiry, url):
    response = client_as("agent").get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    ((name, messages),) = response.json().items()
    assert name in url and "NUL" in messages[0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/enquiries/{big}/",
        "/api/v1/enquiries/NID-2010-{big}/",
        "/api/v1/enquiries/%00/events/",
        "/api/v1/citizens/{big}/",
        "/api/v1/citizens/abc/",
        "/api/v1/citizens/%00/",
        "/api/v1/categories/{big}/",
        "/api/v1/topics/-1/",
        "/api/v1/queues/1.5/",
    ],
)
def test_unknown_ids_are_a_json_404(client_as, enquiry, url):
    response = client_as("admin").get(url.format(big=BIG))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_wrong_content_type_is_a_415_not_a_500(client_as, support):
    response = client_as("agent").post(
        "/api/v1/enquiries/", "queue=support&subject=Hej", "application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert not Enquiry.objects.exists()


TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=220
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    subject=TEXT,
    description=st.one_of(st.none(), TEXT),
    priority=st.one_of(st.none(), st.sampled_from([1, 2, 3, 4, 0, 5, "2", "high", None])),
    channel=st.one_of(st.none(), st.sampled_from(["phone", "letter", "fax", ""])),
    category=st.sampled_from(["valid", "other_queue", "unknown", None]),
)
def test_create_never_fails_with_a_500_and_never_half_saves(
    client_as, refs, subject, description, priority, channel, category
):
    body = {"queue": "support", "subject": subject}
    for name, value in (("description", description), ("priority", priority)):
        if value is not None:
            body[name] = value
    if channel is not None:
        body["channel"] = channel
    category_ids = {
        "valid": refs["category"],
        "other_queue": refs["other_queue_category"],
        "unknown": 10**9,
    }
    if category is not None:
        body["category"] = category_ids[category]
    before = counts()

    response = client_as("agent").post("/api/v1/enquiries/", body, content_type="application/json")

    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert counts() == before
        assert set(response.json()) <= set(body)
    else:
        created = Enquiry.objects.get(pk=response.json()["id"])
        assert created.subject == subject.strip()
        assert category in ("valid", None)
        assert created.events.aggregate(n=Count("id"))["n"] == 1
