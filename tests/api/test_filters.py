"""Every API list refuses a filter value it cannot read, naming the parameter.

The routes are found from the URL map, so a new list or a new yes/no filter
is covered without editing this file.
"""

import django_filters
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from nemid_cases.api import IdFilter, YesNoFilter


def _api_lists():
    """(url name, FilterSet class) of every API list route with a FilterSet."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                cls = getattr(pattern.callback, "cls", None)
                actions = getattr(pattern.callback, "actions", None) or {}
                filterset = getattr(cls, "filterset_class", None)
                if actions.get("get") == "list" and filterset is not None:
                    found.append((pattern.name, filterset))

    walk(get_resolver().url_patterns, None)
    return sorted(found, key=lambda row: row[0])


def _filters_of_kind(kind):
    return [
        (name, param)
        for name, filterset in _api_lists()
        for param, f in filterset.base_filters.items()
        if isinstance(f, kind)
    ]


YES_NO = _filters_of_kind(django_filters.BooleanFilter)
IDS = _filters_of_kind(django_filters.NumberFilter)


def test_the_route_walk_finds_the_lists_with_yes_no_filters():
    routes = {name for name, _ in YES_NO}

    assert {
        "action-list",
        "theme-list",
        "organisation-list",
        "contact-list",
        "recommendation-list",
        "followup-list",
        "enquiry-list",
        "topic-list",
        "category-list",
    } <= routes


@pytest.mark.parametrize(("name", "param"), YES_NO)
def test_every_yes_no_filter_is_strict(name, param):
    filterset = dict(_api_lists())[name]

    assert isinstance(filterset.base_filters[param], YesNoFilter)


@pytest.mark.parametrize(("name", "param"), YES_NO)
@pytest.mark.parametrize("value", ["banana", "2", "unknown", "yes please"])
def test_an_unreadable_yes_no_filter_is_a_400_naming_it(client_as, taxonomy, name, param, value):
    response = client_as("admin").get(reverse(f"api:{name}"), {param: value})

    assert response.status_code == 400, response.content
    assert response.json() == {param: ["Enter true or false."]}


@pytest.mark.parametrize(("name", "param"), YES_NO)
@pytest.mark.parametrize("value", ["true", "false", "1", "0", "TRUE", ""])
def test_a_readable_yes_no_filter_is_accepted(client_as, taxonomy, name, param, value):
    response = client_as("admin").get(reverse(f"api:{name}"), {param: value})

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("name", "param"), IDS)
@pytest.mark.parametrize("value", ["abc", "1.5", "0", "-3", str(2**63)])
def test_an_unreadable_id_filter_is_a_400_naming_it(client_as, taxonomy, name, param, value):
    response = client_as("admin").get(reverse(f"api:{name}"), {param: value})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [param]


def test_every_id_filter_is_strict():
    assert IDS, "the action and follow-up lists filter by id"
    loose = [(name, param) for name, param in IDS if not isinstance(_filter(name, param), IdFilter)]

    assert loose == []


def _filter(name, param):
    return dict(_api_lists())[name].base_filters[param]


@pytest.fixture(scope="module")
def schema_parameters(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for path, operations in schema["paths"].items():
        if "get" in operations:
            found[path] = {p["name"]: p["schema"] for p in operations["get"].get("parameters", [])}
    return found


@pytest.mark.parametrize(("name", "param"), YES_NO)
def test_the_schema_documents_every_yes_no_filter_as_a_boolean(schema_parameters, name, param):
    assert schema_parameters[reverse(f"api:{name}")][param]["type"] == "boolean"


CHOICES = _filters_of_kind(django_filters.ModelChoiceFilter) + _filters_of_kind(
    django_filters.ChoiceFilter
)


@pytest.mark.parametrize(("name", "param"), CHOICES)
@pytest.mark.parametrize("value", ["no-such-row", str(2**70), "-1"])
def test_an_unknown_choice_is_a_400_naming_the_filter(client_as, taxonomy, name, param, value):
    response = client_as("admin").get(reverse(f"api:{name}"), {param: value})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [param]
