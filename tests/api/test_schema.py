"""The OpenAPI schema: valid, without warnings, every error response documented."""

import pytest
import yaml
from django.core.management import call_command

from enquiries.api.filters import EnquiryApiFilterSet

METHODS = {"get", "post", "patch", "put", "delete"}
STAKEHOLDER_RESOURCES = [
    "organisations",
    "contacts",
    "working-groups",
    "meetings",
    "recommendations",
    "follow-ups",
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # Fails on any warning drf-spectacular raises, and on an invalid schema.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_schema_covers_every_api_route(schema):
    documented = {(path, method) for path, method, _op in operations(schema)}

    assert documented >= {
        ("/api/v1/inbound-messages/{id}/refile/", "post"),
        ("/api/v1/inbound-messages/{id}/file/", "post"),
        ("/api/v1/inbound-messages/{id}/discard/", "post"),
        ("/api/v1/enquiries/", "get"),
        ("/api/v1/enquiries/", "post"),
        ("/api/v1/enquiries/{id_or_reference}/", "get"),
        ("/api/v1/enquiries/{id_or_reference}/", "patch"),
        ("/api/v1/enquiries/{id_or_reference}/transition/", "post"),
        ("/api/v1/enquiries/{id_or_reference}/reopen/", "post"),
        ("/api/v1/enquiries/{id_or_reference}/notes/", "post"),
        ("/api/v1/enquiries/{id_or_reference}/events/", "get"),
        ("/api/v1/queues/", "get"),
        ("/api/v1/queues/{id}/", "get"),
        ("/api/v1/topics/", "get"),
        ("/api/v1/topics/{id}/", "get"),
        ("/api/v1/categories/", "get"),
        ("/api/v1/categories/{id}/", "get"),
        ("/api/v1/citizens/", "get"),
        ("/api/v1/citizens/", "post"),
        ("/api/v1/citizens/{id}/", "get"),
        ("/api/v1/citizens/{id}/", "patch"),
        ("/api/v1/citizens/lookup/", "post"),
        ("/api/v1/citizens/{id}/reveal-cpr/", "post"),
        ("/api/v1/data-requests/", "get"),
        ("/api/v1/data-requests/lookup/", "post"),
        ("/api/v1/data-requests/citizens/{id}/export/", "post"),
        ("/api/v1/data-requests/citizens/{id}/erase/", "post"),
        ("/api/v1/people/", "get"),
        ("/api/v1/topic-shares/", "get"),
        ("/api/v1/themes/", "get"),
        ("/api/v1/themes/{id}/", "get"),
        ("/api/v1/actions/", "get"),
        ("/api/v1/actions/", "post"),
        ("/api/v1/actions/{id}/", "get"),
        ("/api/v1/actions/{id}/", "patch"),
        ("/api/v1/actions/{id}/status/", "post"),
        ("/api/v1/actions/{id}/updates/", "get"),
        ("/api/v1/actions/{id}/updates/", "post"),
        ("/api/v1/actions/{id}/kpis/", "get"),
        ("/api/v1/actions/{id}/kpis/", "post"),
        ("/api/v1/actions/{id}/kpis/{kpi_pk}/readings/", "post"),
        ("/api/v1/actions/{id}/timeline/", "get"),
        *(
            (f"/api/v1/{resource}/{suffix}", method)
            for resource in STAKEHOLDER_RESOURCES
            for suffix, method in [("", "get"), ("", "post"), ("{id}/", "get"), ("{id}/", "patch")]
        ),
        ("/api/v1/meetings/{id}/attachments/", "post"),
        ("/api/v1/recommendations/{id}/respond/", "post"),
        ("/api/v1/follow-ups/{id}/resolve/", "post"),
        ("/api/v1/follow-ups/{id}/reopen/", "post"),
        ("/api/v1/answer-templates/", "get"),
        ("/api/v1/answer-templates/", "post"),
        ("/api/v1/answer-templates/{key}/", "get"),
        ("/api/v1/answer-templates/{key}/versions/", "get"),
        ("/api/v1/answer-templates/{key}/versions/", "post"),
        ("/api/v1/enquiries/{id_or_reference}/replies/", "get"),
        ("/api/v1/enquiries/{id_or_reference}/replies/", "post"),
        ("/api/v1/enquiries/{id_or_reference}/replies/{id}/", "get"),
    }
    assert not any(method == "put" for _path, method, _op in operations(schema))


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        where = f"{method} {path}"
        assert {"401", "403"} <= codes, where
        assert operation.get("summary"), where
        if "{" in path:
            assert "404" in codes, where
        if "requestBody" in operation:
            assert "400" in codes, where
            body_types = set(operation["requestBody"]["content"])
            assert body_types == {_body_type(schema, operation)}, where


def _body_type(schema: dict, operation: dict) -> str:
    """JSON, a multipart form for a body that carries a file, or a raw
    e-mail (message/rfc822, the mail push) documented as binary."""
    content = operation["requestBody"]["content"]
    raw_mail = content.get("message/rfc822")
    if raw_mail is not None:
        return "message/rfc822" if raw_mail["schema"].get("format") == "binary" else "?"
    multipart = content.get("multipart/form-data")
    if multipart is None:
        return "application/json"
    name = multipart["schema"]["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][name]["properties"].values()
    return "multipart/form-data" if {"format": "binary", "type": "string"} in fields else "?"


def test_field_errors_are_documented_as_a_map_of_messages(schema):
    errors = schema["components"]["schemas"]["FieldErrors"]

    messages, nested = errors["additionalProperties"]["anyOf"]
    assert messages == {"type": "array", "items": {"type": "string"}}
    # A nested object's field errors nest ({"new_follow_up": {"owner": [...]}}).
    assert nested["type"] == "object"


def test_enquiry_list_documents_the_filters_and_the_cursor(schema):
    operation = schema["paths"]["/api/v1/enquiries/"]["get"]
    documented = {p["name"]: p["schema"] for p in operation["parameters"]}

    assert set(EnquiryApiFilterSet.base_filters) | {"cursor", "page_size"} == set(documented)
    assert documented["overdue"]["type"] == "boolean"
    assert documented["status"]["items"]["enum"] == [
        "closed",
        "in_progress",
        "new",
        "resolved",
        "triaged",
        "waiting",
    ]


def test_schema_and_docs_are_served_to_logged_in_users(client_as):
    client = client_as("agent")

    schema = client.get("/api/schema/", headers={"accept": "application/json"})
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/v1/enquiries/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
