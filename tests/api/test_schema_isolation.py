"""Generating the API schema leaves every page as it was (issue 9, fault 1).

drf-spectacular read the class-level filters that every FilterSet instance
deep-copies; reading `filter.field` there memoised a form field (with the
default widget) on the shared filter, so from then on the enquiry list's
Status and Priority lost their checkboxes in every request until restart.
"""

import django_filters
import pytest
from django.urls import get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from tests.controls import form_controls

PROJECT_APPS = (
    "accounts",
    "enquiries",
    "stakeholders",
    "actions",
    "analytics",
    "feedback",
    "reports",
    "dashboards",
    "exports",
    "nemid_cases",
)


def project_filtersets() -> list[type]:
    """Every FilterSet class of the project (subclasses included)."""
    # Loading the URLconf imports every view, so every FilterSet.
    assert get_resolver().url_patterns
    found, todo = [], [django_filters.FilterSet]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


def filter_state() -> dict:
    """What each class-level filter holds: its attributes and its extra."""
    return {
        (cls.__qualname__, name): (sorted(vars(f)), repr(sorted(f.extra)))
        for cls in project_filtersets()
        for name, f in {**cls.declared_filters, **cls.base_filters}.items()
    }


def generate_schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_walk_finds_the_filtersets_the_pages_and_the_api_use():
    names = {cls.__qualname__ for cls in project_filtersets()}

    assert {"EnquiryFilterSet", "EnquiryPageFilterSet", "EnquiryApiFilterSet"} <= names


@pytest.mark.django_db
def test_schema_generation_changes_no_class_level_filter():
    before = filter_state()

    generate_schema()

    after = filter_state()
    changed = {key: (before.get(key), after[key]) for key in after if before.get(key) != after[key]}
    assert not changed, f"schema generation changed shared filters: {changed}"
    # A form field memoised on a shared filter outlives every request.
    memoised = [key for key, (attrs, _extra) in after.items() if "_field" in attrs]
    assert not memoised, memoised


@pytest.mark.django_db
@pytest.mark.parametrize("trigger", ["api-schema", "api-docs"])
def test_enquiry_list_keeps_its_checkboxes_after_the_schema_is_loaded(client_as, trigger):
    agent, manager = client_as("agent"), client_as("manager")
    url = reverse("enquiries:list")
    before = {"agent": form_controls(agent.get(url).content.decode())}
    before["manager"] = form_controls(manager.get(url).content.decode())

    # The docs page makes the browser fetch the schema; do what it does.
    assert agent.get(reverse(trigger)).status_code == 200
    assert agent.get(reverse("api-schema")).status_code == 200

    # Everyone's list, not only the list of the user who loaded the schema.
    after = {"agent": form_controls(agent.get(url).content.decode())}
    after["manager"] = form_controls(manager.get(url).content.decode())
    assert after == before
    for controls in after.values():
        assert len([c for c in controls if c[:3] == ("input", "status", "checkbox")]) == 6
        assert len([c for c in controls if c[:3] == ("input", "priority", "checkbox")]) == 4
        assert not [c for c in controls if c[0] == "stray option"]
