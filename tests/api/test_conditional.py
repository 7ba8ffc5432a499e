"""Conditional GET on API lists: an ETag, 304 while unchanged, scoped per reader.

The routes are found from the URL map, so a new list without
ConditionalListMixin fails here without editing this file.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enquiries import services
from nemid_cases.conditional import ConditionalListMixin
from tests.etags import patch_json


def _api_list_routes():
    """(url name, view class) of every API route whose GET is a list."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                actions = getattr(pattern.callback, "actions", None) or {}
                if actions.get("get") == "list":
                    found.append((pattern.name, pattern.callback.cls))

    walk(get_resolver().url_patterns, None)
    return sorted(found, key=lambda row: row[0])


LISTS = _api_list_routes()


def test_the_route_walk_finds_the_lists():
    names = {name for name, _cls in LISTS}
    assert {
        "enquiry-list",
        "queue-list",
        "person-list",
        "enquiry-reply-list",
        "article-list",
    } <= names
    assert len(LISTS) >= 25


@pytest.mark.parametrize(("name", "cls"), LISTS, ids=[name for name, _ in LISTS])
def test_every_api_list_is_conditional(name, cls, client_as, enquiry):
    assert issubclass(cls, ConditionalListMixin), f"{cls.__name__} has no conditional GET"
    client = client_as("admin")
    kwargs = {"id_or_reference": enquiry.reference} if name == "enquiry-reply-list" else {}
    url = reverse(f"api:{name}", kwargs=kwargs)
    first = client.get(url)
    assert first.status_code == 200, first.content[:300]
    tag = first.headers.get("ETag")
    assert tag, f"{url} answers without an ETag"
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304, f"{url}: {again.status_code}"
    assert again.content == b""
    assert again.headers["ETag"] == tag
    assert {"Cookie", "Authorization", "Accept-Language"} <= {
        part.strip() for part in again.headers["Vary"].split(",")
    }


def test_a_change_to_a_listed_row_changes_the_etag(client_as, enquiry):
    client = client_as("agent")
    url = reverse("api:enquiry-list")
    tag = client.get(url).headers["ETag"]
    detail = reverse("api:enquiry-detail", args=[enquiry.reference])
    assert patch_json(client, detail, {"subject": "Ny emnelinje"}).status_code == 200

    answer = client.get(url, headers={"If-None-Match": tag})

    assert answer.status_code == 200
    assert answer.headers["ETag"] != tag
    assert "Ny emnelinje" in answer.content.decode()


def test_a_new_row_changes_the_etag(client_as, enquiry, personas, support, category):
    client = client_as("agent")
    url = reverse("api:enquiry-list")
    tag = client.get(url).headers["ETag"]
    services.register_enquiry(support, by=personas["agent"], subject="Endnu en", category=category)

    assert client.get(url, headers={"If-None-Match": tag}).status_code == 200


def test_a_related_rows_change_changes_the_etag(client_as, enquiry, support):
    """The list shows the queue's name: renaming it is a change of the list."""
    client = client_as("agent")
    url = reverse("api:enquiry-list")
    tag = client.get(url).headers["ETag"]
    support.name_da = support.name_en = "Support (omdøbt)"
    support.save()

    assert client.get(url, headers={"If-None-Match": tag}).status_code == 200


def test_an_etag_does_not_validate_another_readers_list(client_as, enquiry):
    url = reverse("api:enquiry-list")
    agent_tag = client_as("agent").get(url).headers["ETag"]

    answer = client_as("team_lead").get(url, headers={"If-None-Match": agent_tag})

    assert answer.status_code == 200
    assert answer.headers["ETag"] != agent_tag


def test_the_etag_follows_the_language_and_the_query(client_as, enquiry):
    client = client_as("agent")
    url = reverse("api:enquiry-list")
    tag = client.get(url).headers["ETag"]

    danish = client_as("agent", language="da").get(url, headers={"If-None-Match": tag})
    filtered = client.get(f"{url}?status=new", headers={"If-None-Match": tag})

    assert filtered.status_code == 200
    assert danish.status_code == 200 or danish.headers["ETag"] != tag


def test_a_reader_without_permission_gets_403_not_304(client_as, enquiry):
    tag = client_as("admin").get(reverse("api:surveyresult-list")).headers["ETag"]

    answer = Client().get(reverse("api:surveyresult-list"), headers={"If-None-Match": tag})

    assert answer.status_code in (401, 403)
