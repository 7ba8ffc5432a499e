"""Who may GET or POST each enquiry page: one visible role x route table."""

import pytest
from django.urls import reverse

from enquiries import services
from enquiries.models import (
    Category,
    Citizen,
    CprReveal,
    Enquiry,
    EnquiryEvent,
    SavedFilter,
)
from tests.factories import CitizenFactory
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, DENIED = 200, 302, 403

# route, method, then the answer for each role. DONE is the redirect after a
# successful change; visitors who are not logged in go to the login form.
# fmt: off
#   route                  method  agent   lead    secr    mgr     admin   anon
PERMISSIONS = [
    ("list",               "get",  OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("breaches",           "get",  DENIED, OK,     DENIED, OK,     OK,     LOGIN),
    ("breaches",           "post", DENIED, DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("create",             "get",  OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("create",             "post", DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("bulk-triage",        "post", DENIED, DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("savedfilter-create", "post", DONE,   DONE,   DONE,   DONE,   DONE,   LOGIN),
    ("savedfilter-delete", "post", DONE,   DONE,   DONE,   DONE,   DONE,   LOGIN),
    ("detail",             "get",  OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("edit",               "get",  OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("edit",               "post", DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("add-note",           "post", DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("transition",         "post", DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("assign",             "post", DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("citizen-list",       "get",  OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("citizen-list",       "post", OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("citizen-create",     "get",  OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("citizen-create",     "post", DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("citizen-lookup",     "post", OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("citizen-detail",     "get",  OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("citizen-edit",       "get",  OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("citizen-edit",       "post", DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("citizen-reveal-cpr", "post", DENIED, OK,     DENIED, DENIED, OK,     LOGIN),
]
# fmt: on
GET_ROUTES = {route for route, method, *_ in PERMISSIONS if method == "get"}
POST_ONLY = sorted({route for route, method, *_ in PERMISSIONS} - GET_ROUTES)


@pytest.fixture
def world(taxonomy, personas):
    support = taxonomy["support"]
    category = Category.objects.get(topic__queue=support, code="ikke-modtaget")
    citizen = CitizenFactory(name="Inger Christensen", cpr="0703421234")
    # The enquiry names the citizen: the support team sees them through it.
    enquiry = services.register_enquiry(
        support,
        by=personas["agent"],
        subject="Har ikke fået koden",
        category=category,
        citizen=citizen,
    )
    saved = {
        persona: SavedFilter.objects.create(owner=user, name="Mine", query_string="is_open=true")
        for persona, user in personas.items()
    }
    return {
        "support": support,
        "citizen": citizen,
        "enquiry": enquiry,
        "saved": saved,
        "agent": personas["agent"],
    }


def _request(route: str, world: dict, persona: str) -> tuple[str, dict]:
    """The URL of a route and POST data that succeeds for an allowed role."""
    enquiry, citizen = world["enquiry"], world["citizen"]
    by_reference = {"reference": enquiry.reference}
    urls = {
        "list": ({}, {}),
        "breaches": ({}, {"selected": [enquiry.pk], "assignee": world["agent"].pk}),
        "create": (
            {},
            {
                "queue": world["support"].pk,
                "subject": "Spørger om nøglekort",
                "priority": "2",
                "channel": "phone",
                "received_at": "2010-11-09T10:30",
                "language": "da",
                "citizen_choice": "none",
            },
        ),
        "bulk-triage": ({}, {"selected": [enquiry.pk], "priority": "3"}),
        "savedfilter-create": ({}, {"name": "Nye"}),
        "savedfilter-delete": (
            {"pk": world["saved"].get(persona, world["saved"]["agent"]).pk},
            {},
        ),
        "detail": (by_reference, {}),
        "edit": (
            by_reference,
            {
                "queue": enquiry.queue_id,
                "subject": enquiry.subject,
                "category": enquiry.category_id,
                "priority": "4",
                "version": enquiry.version,
            },
        ),
        "add-note": (by_reference, {"text": "Ringede tilbage."}),
        "transition": (by_reference, {"status": "triaged"}),
        "assign": (by_reference, {"assignee": ""}),
        "citizen-list": ({}, {"q": "Inger"}),
        "citizen-create": ({}, {"name": "Poul Andersen"}),
        "citizen-lookup": ({}, {"citizen_query": "Inger"}),
        "citizen-detail": ({"pk": citizen.pk}, {}),
        "citizen-edit": (
            {"pk": citizen.pk},
            {"name": "Inger Christensen", "phone": "21436587", "version": citizen.version},
        ),
        "citizen-reveal-cpr": ({"pk": citizen.pk}, {"reason": "Borgeren bad om det."}),
    }
    kwargs, data = urls[route]
    return reverse(f"enquiries:{route}", kwargs=kwargs), data


def _snapshot() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Enquiry, EnquiryEvent, Citizen, SavedFilter, CprReveal)
    )


@pytest.mark.parametrize(("route", "method", "persona", "expected"), cases_by_role(PERMISSIONS))
def test_role_may_use_route(client_as, world, route, method, persona, expected):
    url, data = _request(route, world, persona)
    before = _snapshot()

    response = getattr(client_as(persona), method)(url, data)

    assert answer(response) == expected
    if expected in (LOGIN, DENIED):
        assert _snapshot() == before, "a refused request changed something"


@pytest.mark.parametrize("route", POST_ONLY)
def test_post_only_routes_refuse_get(client_as, world, route):
    url, _data = _request(route, world, "admin")

    response = client_as("admin").get(url)

    assert response.status_code == 405


def test_agent_cannot_see_or_change_another_teams_enquiry(client_as, taxonomy, personas):
    letters = services.register_enquiry(
        taxonomy["ministry"], by=personas["admin"], subject="Brev om sikkerhed"
    )
    agent = client_as("agent")
    reference = {"reference": letters.reference}

    assert agent.get(reverse("enquiries:detail", kwargs=reference)).status_code == 404
    assert agent.get(reverse("enquiries:edit", kwargs=reference)).status_code == 404
    note = agent.post(reverse("enquiries:add-note", kwargs=reference), {"text": "Hej"})
    assert note.status_code == 404
    assert letters.reference not in agent.get(reverse("enquiries:list")).content.decode()
    assert not EnquiryEvent.objects.filter(enquiry=letters, kind="note").exists()


def test_agent_cannot_delete_another_users_saved_filter(client_as, world):
    theirs = world["saved"]["team_lead"]

    response = client_as("agent").post(
        reverse("enquiries:savedfilter-delete", kwargs={"pk": theirs.pk})
    )

    assert response.status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
