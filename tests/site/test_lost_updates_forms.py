"""Two people edit the same row in their browsers: the second save is refused.

One case per edit page, generated from EDIT_FORMS. The first test walks the
URLconf: every page that takes a row in its address and accepts a POST is
either an edit form here or named in NOT_EDIT_FORMS with the reason, so a
new edit page without a race case fails the suite.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enquiries import services as enquiry_services
from feedback.models import SurveyResult
from nemid_cases.versioning import Versioned, VersionedFormMixin
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
class EditForm:
    """An edit page, and two editors' changes to different fields."""

    name: str
    persona: str
    make: Callable[[dict], Versioned]
    first: tuple[str, Any]
    second: tuple[str, Any]

    def __str__(self) -> str:
        return self.name

    def url(self, row: Versioned) -> str:
        key = row.reference if self.name == "enquiries:edit" else row.pk
        return reverse(self.name, args=[key])


def _enquiry(world: dict):
    return enquiry_services.register_enquiry(
        world["taxonomy"]["support"], by=world["personas"]["agent"], subject="Kode ikke modtaget"
    )


def _citizen(world: dict):
    citizen = CitizenFactory(name="Karen Jensen", email="karen@example.org")
    enquiry_services.update_enquiry(
        _enquiry(world), by=world["personas"]["agent"], changes={"citizen": citizen}
    )
    return citizen


def _survey(world: dict):
    return SurveyResult.objects.create(
        source="A&B", published_on=datetime.date(2010, 11, 30), respondents=1426, share_satisfied=77
    )


EDIT_FORMS = [
    EditForm("enquiries:edit", "agent", _enquiry, ("subject", "Ny emne"), ("description", "Ny")),
    EditForm(
        "enquiries:citizen-edit", "agent", _citizen, ("name", "Karen M."), ("phone", "40506070")
    ),
    EditForm(
        "actions:edit",
        "secretariat",
        lambda w: ActionFactory(),
        ("title", "A"),
        ("description", "B"),
    ),
    EditForm(
        "stakeholders:organisation-update",
        "secretariat",
        lambda w: OrganisationFactory(),
        ("name", "DanID A/S"),
        ("notes", "Note"),
    ),
    EditForm(
        "stakeholders:contact-update",
        "secretariat",
        lambda w: ContactFactory(),
        ("name", "Ole Hansen"),
        ("title", "Chef"),
    ),
    EditForm(
        "stakeholders:workinggroup-update",
        "secretariat",
        lambda w: WorkingGroupFactory(members=[OrganisationFactory()]),
        ("name", "Gruppe"),
        ("purpose", "Formål"),
    ),
    EditForm(
        "stakeholders:meeting-update",
        "secretariat",
        lambda w: MeetingFactory(),
        ("title", "Møde"),
        ("minutes", "Referat"),
    ),
    EditForm(
        "stakeholders:recommendation-update",
        "secretariat",
        lambda w: RecommendationFactory(),
        ("text", "Ny anbefaling"),
        ("received_on", datetime.date(2010, 12, 1)),
    ),
    EditForm(
        "stakeholders:recommendation-respond",
        "secretariat",
        lambda w: RecommendationFactory(),
        ("response", "Vi ser på det."),
        ("rationale", "Fordi."),
    ),
    EditForm(
        "stakeholders:followup-update",
        "secretariat",
        lambda w: FollowUpFactory(),
        ("subject", "Svar"),
        ("notes", "Rykket"),
    ),
    EditForm("feedback:survey-update", "secretariat", _survey, ("source", "M3"), ("notes", "N")),
    EditForm(
        "problems:edit",
        "secretariat",
        lambda w: KnownProblem.objects.create(
            title="Kun netbank", description="Aktivering kun til netbank."
        ),
        ("title", "Kun netbank efter aktivering"),
        ("workaround", "Ring til DanID."),
    ),
]

# Pages that take a row and accept a POST but are not edit forms of it.
NOT_EDIT_FORMS = {
    "problems:link": "adds link rows; changes no field of the problem",
    "problems:unlink": "removes link rows; changes no field of the problem",
    "problems:resolve": "a state step; the service locks the problem and refuses a second resolve",
    "notices:update": "adds a public timeline line to the incident; changes none of its fields",
    "notices:resolve": "a state step; the service locks the incident and sets its end",
    "notices:draft-approve": (
        "a decision at the version shown (hidden field, save_edit): "
        "tests/notices/test_views.py refuses a stale one"
    ),
    "notices:draft-reject": (
        "a decision at the version shown (hidden field, save_edit): "
        "tests/notices/test_views.py refuses a stale one"
    ),
    "notices:link": "adds link rows; changes no field of the incident",
    "notices:unlink": "removes link rows; changes no field of the incident",
    "enquiries:savedfilter-delete": "deletes the user's own saved filter",
    "enquiries:citizen-reveal-cpr": "reads the CPR number; writes only the reveal log",
    "enquiries:add-note": "adds a timeline line; changes no field of the enquiry",
    "enquiries:transition": "a status step; the service locks the row and checks the step",
    "enquiries:assign": "one field, set under the service's row lock",
    "mailroom:link-citizen": "one field (the citizen), set by update_enquiry under its row lock",
    "mailroom:refile": "a decision; the service locks the mail and refuses one already decided",
    "mailroom:file-as-enquiry": (
        "a decision; the service locks the mail and refuses one already decided"
    ),
    "mailroom:discard": "a decision; the service locks the mail and refuses one already decided",
    "analytics:alert-dismiss": "a state step on an alert, not an edit",
    "analytics:alert-act": "a state step on an alert, not an edit",
    "analytics:rebalance": "moves enquiries between people by the assignment service",
    "actions:status": "a status step; the service locks the row and checks the step",
    "actions:add-update": "adds a progress update row",
    "actions:add-kpi": "adds a KPI row",
    "actions:add-reading": "adds a KPI reading row",
    "stakeholders:meeting-recommendation-create": "creates a recommendation",
    "stakeholders:attachment-upload": "adds a file",
    "stakeholders:attachment-delete": "removes a file",
    "stakeholders:followup-resolve": "a state step; the service refuses a resolved one",
    "stakeholders:followup-reopen": "a state step; the service refuses an open one",
    "feedback:agent-rating": "adds a rating",
    "feedback:rating-invitation": "sends a rating link",
    "feedback:rate": "the citizen's rating, once per enquiry",
    "privacy:export": "reads everything about a citizen",
    "privacy:erase": "anonymises a citizen, a one-way step",
    "answers:version-create": "adds a template version; a published version is never edited",
    "answers:reply": "adds a reply and a timeline line; its status step locks the enquiry",
    "knowledge:version-create": (
        "adds an article version numbered under a lock; a published version is never edited"
    ),
}


def _posting_row_pages() -> set[str]:
    """Every page whose address names a row and that accepts a POST."""
    found = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None)
                if view is not None and hasattr(view, "post") and pattern.pattern.converters:
                    found.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return found


def _as_post(form: forms.BaseForm) -> dict:
    """What a browser sends for `form` as shown: every field's value."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [getattr(v, "pk", v) for v in value]
        else:
            data[key] = "" if value is None else getattr(value, "pk", value)
    return data


@pytest.fixture
def world(taxonomy, personas):
    return {"taxonomy": taxonomy, "personas": personas}


def test_every_page_that_posts_to_a_row_is_classified():
    pages = _posting_row_pages()
    edit_forms = {form.name for form in EDIT_FORMS}

    assert not edit_forms & set(NOT_EDIT_FORMS)
    assert pages == edit_forms | set(NOT_EDIT_FORMS)


@pytest.mark.parametrize("page", EDIT_FORMS, ids=str)
def test_edit_form_carries_the_version_of_a_versioned_row(client_as, world, page):
    row = page.make(world)

    response = client_as(page.persona).get(page.url(row))

    assert response.status_code == 200
    form = response.context["form"]
    assert isinstance(row, Versioned)
    assert isinstance(form, VersionedFormMixin)
    html = response.content.decode()
    assert f'name="{form.add_prefix("version")}" value="{row.version}"' in html


@pytest.mark.parametrize("page", EDIT_FORMS, ids=str)
def test_second_of_two_editors_is_refused_and_shown_both_versions(client_as, world, page):
    row = page.make(world)
    url = page.url(row)
    editor_a, editor_b = client_as(page.persona), client_as(page.persona)
    shown_a = _as_post(editor_a.get(url).context["form"])
    shown_b = _as_post(editor_b.get(url).context["form"])
    (field_a, value_a), (field_b, value_b) = page.first, page.second
    before_b = getattr(row, field_b)

    saved = editor_a.post(url, {**shown_a, field_a: value_a})
    refused = editor_b.post(url, {**shown_b, field_b: value_b})

    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    assert refused.status_code in (200, 400)
    row.refresh_from_db()
    assert (getattr(row, field_a), getattr(row, field_b)) == (value_a, before_b)
    form = refused.context["form"]
    assert form.conflict is not None
    assert (form.conflict.yours, form.conflict.saved) == (row.version - 1, row.version)
    html = refused.content.decode()
    assert "version-conflict" in html
    # Both versions in view: A's saved value, and what B typed.
    assert str(value_a) in html or value_a.strftime("%d.%m.%Y") in html
    labels = {d.label for d in form.conflict.differences}
    assert str(form.fields[field_a].label) in labels
    assert str(form.fields[field_b].label) in labels
    assert f'name="{form.add_prefix("version")}" value="{row.version}"' in html

    # B takes over A's value and saves again: both changes are kept.
    again = editor_b.post(url, {**_as_post(form), field_a: value_a, field_b: value_b})

    assert again.status_code == 302
    row.refresh_from_db()
    assert (getattr(row, field_a), getattr(row, field_b)) == (value_a, value_b)


@pytest.mark.parametrize("page", EDIT_FORMS, ids=str)
def test_a_form_without_its_version_saves_nothing(client_as, world, page):
    row = page.make(world)
    url = page.url(row)
    client = client_as(page.persona)
    shown = _as_post(client.get(url).context["form"])
    del shown["version"]
    field, value = page.first

    response = client.post(url, {**shown, field: value})

    assert response.status_code in (200, 400)
    assert "version" in response.context["form"].errors
    row.refresh_from_db()
    assert getattr(row, field) != value
