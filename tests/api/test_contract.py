"""Issue 8, "the API's contract": what the schema says is what the code reads.

The schema documents ids and integers as JSON integers, dates as dates, the
timeline's actor as nullable, id filters and page numbers from 1 and filter
parameters as allowed empty. Each test sends what the schema forbids (or
allows) and checks the answer agrees; the first walks every API serializer,
so a field added later cannot bypass the strict fields.
"""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from actions.models import Action, ActionEvent
from enquiries.models import Enquiry, Topic
from nemid_cases.api import (
    ChoiceField,
    IdField,
    ModelSerializer,
    StrictTextMixin,
    WholeNumberField,
)
from nemid_cases.moments import DayField, MomentField
from stakeholders.models import Meeting
from tests.factories import ActionFactory, OrganisationFactory, ThemeFactory

STRICT = {
    serializers.PrimaryKeyRelatedField: IdField,
    serializers.DateTimeField: MomentField,
    serializers.DateField: DayField,
    serializers.IntegerField: WholeNumberField,
    serializers.ChoiceField: ChoiceField,
}


def _request_serializers():
    """Every serializer the schema documents as a request body."""
    generator = SchemaGenerator()
    generator.get_schema(request=None, public=True)
    for (name, kind), component in generator.registry._components.items():
        if kind == "schemas" and name.endswith("Request"):
            serializer = component.object
            yield serializer if isinstance(serializer, serializers.Serializer) else serializer()


def _writable_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _writable_fields(field, f"{prefix}{name}.")
            continue
        yield f"{prefix}{name}", field


def test_every_writable_api_field_reads_as_the_schema_says(db):
    loose = []
    bodies = list(_request_serializers())
    for serializer in bodies:
        cls = type(serializer)
        assert isinstance(serializer, StrictTextMixin), f"{cls.__name__} bypasses it"
        if isinstance(serializer, serializers.ModelSerializer):
            assert isinstance(serializer, ModelSerializer), f"{cls.__name__} bypasses it"
        for name, field in _writable_fields(serializer):
            for plain, strict in STRICT.items():
                if isinstance(field, plain) and not isinstance(field, strict):
                    loose.append(f"{cls.__name__}.{name}: {type(field).__name__}")

    assert len(bodies) > 20
    assert not loose, loose


@pytest.fixture
def origin(taxonomy):
    """A topic an action may come from, with the owner and theme it needs."""
    OrganisationFactory(code="danid")
    ThemeFactory(code="support")
    return Topic.objects.get(queue__code="support", code="aktivering")


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("given", [1.9, "1", True, "one", [1]])
def test_an_id_that_is_not_a_whole_json_number_is_refused(client_as, origin, given):
    topic_id = origin.pk if given != 1.9 else origin.pk + 0.9

    response = _post(
        client_as("admin"),
        "/api/v1/actions/",
        {
            "title": "T",
            "theme": "support",
            "owner": "danid",
            "origin_topics": [topic_id if given == 1.9 else given],
        },
    )

    assert response.status_code == 400, response.content
    assert "origin_topics" in response.json()
    assert not Action.objects.exists()


def test_an_id_written_as_a_whole_float_is_the_row(client_as, origin):
    response = _post(
        client_as("admin"),
        "/api/v1/actions/",
        {"title": "T", "theme": "support", "owner": "danid", "origin_topics": [float(origin.pk)]},
    )

    assert response.status_code == 201, response.content
    assert response.json()["origin_topics"] == [origin.pk]


@pytest.mark.parametrize("given", ["2", 2.5, True])
def test_an_integer_choice_given_as_text_or_a_fraction_is_refused(client_as, taxonomy, given):
    response = _post(
        client_as("agent"),
        "/api/v1/enquiries/",
        {"queue": "support", "subject": "Hej", "priority": given},
    )

    assert response.status_code == 400, response.content
    assert "priority" in response.json()
    assert not Enquiry.objects.exists()


def test_an_integer_choice_as_a_number_is_taken(client_as, taxonomy):
    response = _post(
        client_as("agent"),
        "/api/v1/enquiries/",
        {"queue": "support", "subject": "Hej", "priority": 3},
    )

    assert response.status_code == 201, response.content
    assert response.json()["priority"] == 3


@pytest.mark.parametrize("organisations", [["1"], [1.5], [True]])
def test_a_model_serializers_relations_are_strict_too(client_as, db, organisations):
    organisation = OrganisationFactory()
    ids = [organisation.pk + 0.5 if v == 1.5 else v for v in organisations]

    response = _post(
        client_as("secretariat"),
        "/api/v1/meetings/",
        {"title": "M", "held_on": "2010-11-09", "organisations": ids},
    )

    assert response.status_code == 400, response.content
    assert "organisations" in response.json()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("held_on", ["0001-01-01", "9999-12-31"])
def test_a_date_far_from_today_is_a_400_naming_it(client_as, db, held_on):
    organisation = OrganisationFactory()

    response = _post(
        client_as("secretariat"),
        "/api/v1/meetings/",
        {"title": "M", "held_on": held_on, "organisations": [organisation.pk]},
    )

    assert response.status_code == 400, response.content
    assert "Enter a date between" in response.json()["held_on"][0]


def test_a_timeline_event_by_the_system_has_a_null_actor_as_documented(client_as, personas):
    action = ActionFactory(owner=OrganisationFactory(code="danid"), theme=ThemeFactory())
    ActionEvent.objects.create(action=action, kind=ActionEvent.Kind.CREATED, actor=None)
    schema = SchemaGenerator().get_schema(request=None, public=True)

    response = client_as("admin").get(f"/api/v1/actions/{action.pk}/timeline/")

    assert response.status_code == 200, response.content
    events = response.json()
    events = events["results"] if isinstance(events, dict) else events
    assert None in [event["actor"] for event in events]
    for component in ("ActionEvent", "RecommendationEvent"):
        assert schema["components"]["schemas"][component]["properties"]["actor"]["nullable"]


def test_id_filters_and_pages_are_documented_from_one_and_empty_allowed(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}

    assert parameters["topic"]["schema"]["minimum"] == 1
    assert parameters["follows_up"]["schema"]["type"] == "integer"
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["due_before"]["allowEmptyValue"] is True
    assert "allowEmptyValue" not in parameters["status"]  # an array: "" is no status


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("topic=0", 400),
        ("follows_up=1.9", 400),
        ("page=0", 404),
        ("due_before=", 200),
        ("topic=", 200),
    ],
)
def test_filters_answer_as_the_schema_documents(client_as, personas, query, status):
    response = client_as("admin").get(f"/api/v1/actions/?{query}")

    assert response.status_code == status, response.content


@pytest.mark.parametrize("subject", [5, 1.5, True, ["Hej"], {"a": "b"}])
def test_a_text_field_takes_only_a_string(client_as, taxonomy, subject):
    response = _post(
        client_as("agent"), "/api/v1/enquiries/", {"queue": "support", "subject": subject}
    )

    assert response.status_code == 400, response.content
    assert response.json() == {"subject": ["Not a valid string."]}


def test_a_number_in_a_model_serializers_text_field_is_refused(client_as, db):
    response = _post(
        client_as("secretariat"), "/api/v1/organisations/", {"name": 2010, "kind": "operator"}
    )

    assert response.status_code == 400, response.content
    assert response.json()["name"] == ["Not a valid string."]


def test_ids_in_bodies_are_documented_from_one(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    action = schema["components"]["schemas"]["ActionWriteRequest"]["properties"]

    assert action["follows_up"]["minimum"] == 1
    assert action["origin_topics"]["items"]["minimum"] == 1


def test_a_page_past_the_last_is_a_documented_404(client_as, personas):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    response = client_as("admin").get("/api/v1/actions/?page=99")

    assert response.status_code == 404
    assert "404" in schema["paths"]["/api/v1/actions/"]["get"]["responses"]
