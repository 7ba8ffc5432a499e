"""The known-problem pages: who may use each, and what each does."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from enquiries import services as enquiry_services
from enquiries.models import Enquiry, EnquiryEvent, Notification
from notices.models import StandardText
from notices.services import ensure_standard_text
from problems import services
from problems.models import KnownProblem, KnownProblemLink
from tests.factories import CitizenFactory, EnquiryFactory
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, DENIED = 200, 302, 403

# fmt: off
#   route        method  agent   lead    secr    mgr     admin   anon
PERMISSIONS = [
    ("list",      "get",  OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("create",    "get",  DENIED, OK,     OK,     DENIED, OK,     LOGIN),
    ("create",    "post", DENIED, DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("detail",    "get",  OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("edit",      "get",  DENIED, OK,     OK,     DENIED, OK,     LOGIN),
    ("edit",      "post", DENIED, DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("link",      "post", DONE,   DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("bulk-link", "post", DENIED, DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("unlink",    "post", DONE,   DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("resolve",   "get",  DENIED, OK,     OK,     DENIED, OK,     LOGIN),
    ("resolve",   "post", DENIED, DONE,   DONE,   DENIED, DONE,   LOGIN),
]
# fmt: on


@pytest.fixture
def standard_text(db):
    return ensure_standard_text(
        services.RESOLVED_TEXT_CODE,
        kind=StandardText.Kind.RESOLUTION,
        text_da="Fejlen er rettet.",
        text_en="The fault is fixed.",
    )[0]


@pytest.fixture
def world(problem, category, support, personas, standard_text):
    linked = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Kun netbank", category=category
    )
    services.link_enquiries(problem, Enquiry.objects.filter(pk=linked.pk), by=None)
    other = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Kun netbank igen", category=category
    )
    return {"problem": problem, "linked": linked, "other": other, "category": category}


def _request(route: str, world: dict) -> tuple[str, dict]:
    problem = world["problem"]
    form = {
        "title": "Aktivering kun til netbank",
        "description": "Kun netbank.",
        "category": world["category"].pk,
        "workaround": "",
    }
    routes = {
        "list": ({}, {}),
        "create": ({}, form),
        "detail": ({"pk": problem.pk}, {}),
        "edit": ({"pk": problem.pk}, {**form, "version": problem.version}),
        "link": ({"reference": world["other"].reference}, {"problem": problem.pk}),
        "bulk-link": ({}, {"link-problem": problem.pk}),
        "unlink": ({"pk": problem.pk}, {"enquiry": world["linked"].pk}),
        "resolve": ({"pk": problem.pk}, {"resolution": "Rettet i release 2.3"}),
    }
    kwargs, data = routes[route]
    url = reverse(f"problems:{route}", kwargs=kwargs)
    if route == "bulk-link":
        url += f"?q={world['other'].reference}"
    return url, data


def _snapshot() -> tuple[int, ...]:
    return (
        KnownProblem.objects.count(),
        KnownProblemLink.objects.count(),
        EnquiryEvent.objects.count(),
        KnownProblem.objects.filter(status="resolved").count(),
        KnownProblem.objects.filter(
            title="Aktivering kun til netbank", description="Kun netbank."
        ).count(),
    )


@pytest.mark.parametrize(("route", "method", "persona", "expected"), cases_by_role(PERMISSIONS))
def test_role_may_use_route(client_as, world, route, method, persona, expected):
    url, data = _request(route, world)
    before = _snapshot()

    response = getattr(client_as(persona), method)(url, data)

    assert answer(response) == expected
    if expected in (LOGIN, DENIED):
        assert _snapshot() == before, "a refused request changed something"
    elif method == "post":
        assert _snapshot() != before, "an allowed request changed nothing"


def test_bulk_link_links_the_filtered_list(client_as, world, category, support, personas):
    extra = EnquiryFactory(category=category, subject="Netbank-fejl")
    EnquiryFactory(category=category, subject="Noget andet")
    problem = world["problem"]

    response = client_as("team_lead").post(
        reverse("problems:bulk-link") + "?q=Netbank-fejl", {"link-problem": problem.pk}
    )

    assert response.status_code == 302
    assert set(problem.links.values_list("enquiry_id", flat=True)) == {
        world["linked"].pk,
        extra.pk,
    }


def test_bulk_link_form_of_the_filtered_list_links_what_it_shows(client_as, world, category):
    # Posts the form as the enquiry list renders it: its action and names.
    extra = EnquiryFactory(category=category, subject="Netbank-fejl")
    problem = world["problem"]
    client = client_as("team_lead")
    html = client.get(reverse("enquiries:list"), {"q": "Netbank-fejl"}).content.decode()
    # The list has two bulk links (known problems, incidents): this one's.
    action = re.escape(reverse("problems:bulk-link"))
    form = re.search(rf'<form method="post" action="({action}[^"]*)".*?</form>', html, re.S)
    field = re.search(r'<select name="([^"]+)"', form.group(0))

    response = client.post(unescape(form.group(1)), {field.group(1): problem.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("problems:detail", kwargs={"pk": problem.pk})
    assert set(problem.links.values_list("enquiry_id", flat=True)) == {
        world["linked"].pk,
        extra.pk,
    }


def test_an_agent_is_not_offered_the_bulk_link(client_as, world):
    # Agents link one enquiry at a time, from its page (README).
    query = {"q": world["other"].reference}

    agent = client_as("agent").get(reverse("enquiries:list"), query).content.decode()
    lead = client_as("team_lead").get(reverse("enquiries:list"), query).content.decode()

    assert reverse("problems:bulk-link") not in agent
    assert reverse("problems:bulk-link") in lead


def test_bulk_link_refuses_an_unfiltered_list(client_as, world):
    problem = world["problem"]

    client_as("team_lead").post(reverse("problems:bulk-link"), {"link-problem": problem.pk})

    assert problem.links.count() == 1


def test_the_enquiry_page_offers_and_shows_known_problems(client_as, world):
    page = client_as("agent").get(
        reverse("enquiries:detail", kwargs={"reference": world["other"].reference})
    )
    linked_page = client_as("manager").get(
        reverse("enquiries:detail", kwargs={"reference": world["linked"].reference})
    )

    assert reverse("problems:link", kwargs={"reference": world["other"].reference}) in (
        page.content.decode()
    )
    assert world["problem"].title in linked_page.content.decode()
    assert "problems:link" not in linked_page.content.decode()


def test_resolve_confirmation_shows_the_counts(client_as, world):
    citizen = CitizenFactory(email="borger@example.invalid")
    Enquiry.objects.filter(pk=world["linked"].pk).update(citizen=citizen)

    page = client_as("secretariat").get(
        reverse("problems:resolve", kwargs={"pk": world["problem"].pk})
    )

    assert page.context["counts"] == {"enquiries": 1, "citizens": 1, "emails": 1}


def test_resolve_through_the_page_resolves_and_queues_mail(client_as, world):
    citizen = CitizenFactory(email="borger@example.invalid")
    Enquiry.objects.filter(pk=world["linked"].pk).update(citizen=citizen)

    client_as("team_lead").post(
        reverse("problems:resolve", kwargs={"pk": world["problem"].pk}),
        {"resolution": "Rettet"},
    )

    world["linked"].refresh_from_db()
    assert world["linked"].status == Enquiry.Status.RESOLVED
    assert Notification.objects.filter(recipient="borger@example.invalid").count() == 1


def test_create_form_is_prefilled_from_a_pattern_alert(client_as, world, support):
    from analytics.models import PatternAlert

    category = world["category"]
    alert = PatternAlert.objects.create(
        queue=support,
        level="category",
        topic=category.topic,
        category=category,
        key="x",
        kind="spike",
        week_start="2010-11-08",
        observed=40,
        baseline=5.0,
        score=4.0,
        share=12.0,
        raised_at="2010-11-12T10:00:00Z",
        last_detected_on="2010-11-12",
    )

    page = client_as("secretariat").get(reverse("problems:create") + f"?alert={alert.pk}")

    assert page.context["form"].initial["category"] == category.pk
    assert "40" in page.context["form"].initial["description"]


@pytest.mark.parametrize("rows", [1, 25])
def test_list_queries_do_not_grow_with_rows(
    client_as, personas, category, rows, django_assert_num_queries
):
    for n in range(rows):
        problem = KnownProblem.objects.create(title=f"P{n}", description="x", category=category)
        enquiry = EnquiryFactory(category=category)
        KnownProblemLink.objects.create(problem=problem, enquiry=enquiry)
    client = client_as("agent")
    client.get(reverse("problems:list"))  # keeps the permissions (accounts.access)

    with django_assert_num_queries(4):
        response = client.get(reverse("problems:list"))

    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_detail_queries_do_not_grow_with_rows(
    client_as, problem, category, rows, django_assert_num_queries
):
    for _n in range(rows):
        enquiry = EnquiryFactory(category=category, citizen=CitizenFactory())
        KnownProblemLink.objects.create(problem=problem, enquiry=enquiry)
    client = client_as("team_lead")
    client.get(reverse("problems:detail", kwargs={"pk": problem.pk}))  # keeps the permissions

    with django_assert_num_queries(9):
        response = client.get(reverse("problems:detail", kwargs={"pk": problem.pk}))

    assert len(response.context["page"]) == rows


def test_the_dashboard_counts_affected_enquiries_and_citizens_of_the_period(
    client_as, problem, category
):
    citizen = CitizenFactory()
    for enquiry in (
        EnquiryFactory(category=category, citizen=citizen),
        EnquiryFactory(category=category, citizen=citizen),
        EnquiryFactory(category=category, citizen=CitizenFactory()),
    ):
        KnownProblemLink.objects.create(problem=problem, enquiry=enquiry)

    response = client_as("manager").get(reverse("dashboards:overview"))

    content = response.content.decode()
    assert response.status_code == 200
    row = content[content.index(problem.title) :]
    assert '<td class="numeric">3</td>' in row and '<td class="numeric">2</td>' in row


def test_a_problem_proposed_by_an_alert_is_recorded_with_the_alerts_enquiries(
    client_as, world, support, personas
):
    from analytics.models import PatternAlert
    from analytics.periods import REPORTING_TZ

    category = world["category"]
    monday = datetime.date(2010, 11, 8)
    counted = [
        EnquiryFactory(
            category=category,
            received_at=datetime.datetime(2010, 11, 8 + n, 10, tzinfo=REPORTING_TZ),
        )
        for n in (0, 6)
    ]
    EnquiryFactory(  # the week after
        category=category, received_at=datetime.datetime(2010, 11, 15, 0, 30, tzinfo=REPORTING_TZ)
    )
    alert = PatternAlert.objects.create(
        queue=support,
        level="category",
        topic=category.topic,
        category=category,
        key="x",
        kind="spike",
        week_start=monday,
        observed=2,
        baseline=0.5,
        score=4.0,
        share=12.0,
        raised_at="2010-11-12T10:00:00Z",
        last_detected_on="2010-11-12",
    )
    # The secretariat decides pattern alerts (team leads do not see them).
    client = client_as("secretariat", language="da")
    url = reverse("problems:create") + f"?alert={alert.pk}"

    form = client.get(url)
    response = client.post(
        reverse("problems:create"),
        {**form.context["form"].initial, "workaround": "", "alert": alert.pk},
    )

    assert "gemmes, tilknyttes de 2 henvendelser" in form.content.decode()
    problem = KnownProblem.objects.exclude(pk=world["problem"].pk).get()
    assert response["Location"] == reverse("problems:detail", kwargs={"pk": problem.pk})
    assert problem.created_by == personas["secretariat"]
    assert set(problem.links.values_list("enquiry_id", flat=True)) == {e.pk for e in counted}
