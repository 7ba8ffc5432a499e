"""/api/v1/known-problems/: who may do what, and what each action does."""

import pytest

from enquiries import services as enquiry_services
from enquiries.models import Enquiry, Notification
from notices.models import StandardText
from notices.services import ensure_standard_text
from problems import services
from problems.models import KnownProblem, KnownProblemResolution
from tests.etags import if_match, patch_json
from tests.factories import CitizenFactory, EnquiryFactory
from tests.permissions import answer, cases_by_role

URL = "/api/v1/known-problems/"
COLUMNS = ["agent", "team_lead", "secretariat", "manager", "admin", "anonymous"]

# fmt: off
#   method   path          body       agent lead secr mgr  admin anon
ROUTES = [
    ("get",   "",           None,      200,  200, 200, 200, 200,  401),
    ("post",  "",           "new",     403,  201, 201, 403, 201,  401),
    ("get",   "{id}/",      None,      200,  200, 200, 200, 200,  401),
    ("patch", "{id}/",      "patch",   403,  200, 200, 403, 200,  401),
    ("post",  "{id}/link/", "ids",     200,  200, 200, 403, 200,  401),
    ("post",  "{id}/unlink/", "linked", 200, 200, 200, 403, 200,  401),
    # By filter it is the list's bulk link: not for agents (README).
    ("post",  "{id}/link/", "filter",  403,  200, 200, 403, 200,  401),
    ("post",  "{id}/unlink/", "filter", 403, 200, 200, 403, 200,  401),
    ("post",  "{id}/resolve/", "resolve", 403, 201, 201, 403, 201, 401),
]
# fmt: on


@pytest.fixture
def world(problem, category, support, personas):
    ensure_standard_text(
        services.RESOLVED_TEXT_CODE,
        kind=StandardText.Kind.RESOLUTION,
        text_da="Fejlen er rettet.",
        text_en="The fault is fixed.",
    )
    linked = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Kun netbank", category=category
    )
    services.link_enquiries(problem, Enquiry.objects.filter(pk=linked.pk), by=None)
    other = EnquiryFactory(category=category)
    return {"problem": problem, "linked": linked, "other": other, "category": category}


def _bodies(world):
    return {
        "new": {"title": "Nøglekort forsinket", "description": "Posten er forsinket."},
        "patch": {"workaround": "Bestil et nyt nøglekort."},
        "ids": {"enquiries": [world["other"].pk]},
        "linked": {"enquiries": [world["linked"].pk]},
        "filter": {"filter": {"category": world["category"].pk}},
        "resolve": {"resolution": "Rettet i release 2.3"},
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"), cases_by_role(ROUTES, COLUMNS)
)
def test_each_role_gets_the_status_of_the_table(
    client_as, world, method, path, body, role, expected
):
    url = URL + path.format(id=world["problem"].pk)
    client = client_as(role)
    if body is None:
        response = getattr(client, method)(url)
    else:
        # A change carries the row's ETag, as a client must (tests/etags.py).
        headers = if_match(client, url) if method == "patch" else {}
        response = getattr(client, method)(
            url, _bodies(world)[body], content_type="application/json", headers=headers
        )

    assert answer(response) == expected


def test_link_by_filter_links_every_match(client_as, world, category):
    more = EnquiryFactory.create_batch(3, category=category)
    problem = world["problem"]

    response = client_as("team_lead").post(
        f"{URL}{problem.pk}/link/",
        {"filter": {"category": category.pk}},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"count": 4}
    assert {e.pk for e in more} <= set(problem.links.values_list("enquiry_id", flat=True))


@pytest.mark.parametrize(
    "body",
    [{}, {"enquiries": [1], "filter": {"category": 1}}, {"filter": {}}, {"enquiries": ["x"]}],
)
def test_link_refuses_a_bad_body_with_a_400(client_as, world, body):
    response = client_as("team_lead").post(
        f"{URL}{world['problem'].pk}/link/", body, content_type="application/json"
    )

    assert response.status_code == 400


def test_resolve_returns_the_batch_and_refuses_a_second_time(client_as, world):
    citizen = CitizenFactory(email="borger@example.invalid")
    Enquiry.objects.filter(pk=world["linked"].pk).update(citizen=citizen)
    client = client_as("secretariat")
    url = f"{URL}{world['problem'].pk}/resolve/"

    first = client.post(url, {"resolution": "Rettet"}, content_type="application/json")
    second = client.post(url, {"resolution": "Igen"}, content_type="application/json")

    assert first.status_code == 201
    assert first.json()["enquiry_count"] == 1
    assert first.json()["notified_count"] == 1
    assert second.status_code == 400
    assert "status" in second.json()
    assert KnownProblemResolution.objects.count() == 1
    assert Notification.objects.count() == 1


def test_create_refuses_a_category_of_another_topic(client_as, world, taxonomy):
    from enquiries.models import Topic

    other_topic = Topic.objects.exclude(pk=world["category"].topic_id).first()

    response = client_as("team_lead").post(
        URL,
        {
            "title": "X",
            "description": "Y",
            "topic": other_topic.pk,
            "category": world["category"].pk,
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "category" in response.json()
    assert KnownProblem.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 25])
def test_list_queries_do_not_grow_with_rows(
    client_as, category, personas, rows, django_assert_num_queries
):
    for n in range(rows):
        KnownProblem.objects.create(title=f"P{n}", description="x", category=category)
    client = client_as("agent")
    client.get(URL)  # keeps the permissions (accounts.access)

    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(response.json()["results"]) == rows


def test_create_and_patch_answer_with_the_counts(client_as, world):
    client = client_as("team_lead")

    created = client.post(
        URL, {"title": "Nøglekort", "description": "Forsinket"}, content_type="application/json"
    )
    patched = patch_json(client, f"{URL}{world['problem'].pk}/", {"workaround": "Vent"})

    assert created.status_code == 201
    assert (created.json()["enquiry_count"], created.json()["citizen_count"]) == (0, 0)
    assert patched.status_code == 200
    assert patched.json()["enquiry_count"] == 1
