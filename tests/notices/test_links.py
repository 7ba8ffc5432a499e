"""Enquiries linked to incidents: the service map, suggestions, the pages
and the API.

PAGES and API are read by tests/accounts/test_route_tables.py, which fails
when a link route has no row here.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Category, Enquiry, Topic
from notices import cache_keys, service_map, services
from notices.models import IncidentLink, Service
from tests.factories import EnquiryFactory
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, DENIED = 200, 302, 403

# fmt: off
#   route                 method  agent   lead    secr    mgr     admin   anon
PAGES = [
    ("notices:link",      "post", DONE,   DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("notices:unlink",    "post", DONE,   DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("notices:bulk-link", "post", DONE,   DONE,   DONE,   DENIED, DONE,   LOGIN),
]
#   method  path                                   body       agent lead secr mgr admin anon
API = [
    ("post", "/api/v1/incidents/{incident}/link/",   "ids",   200, 200, 200, 403, 200, 401),
    ("post", "/api/v1/incidents/{incident}/unlink/", "ids",   200, 200, 200, 403, 200, 401),
]
# fmt: on


def category(queue: str, topic: str, code: str) -> Category:
    return Category.objects.get(topic__queue__code=queue, topic__code=topic, code=code)


@pytest.fixture
def world(publish, taxonomy):
    """An incident of log-in and net bank log-in started 20 minutes ago,
    enquiries in and out of its window and its services."""
    incident = publish()  # services: login, netbank_login
    outage = category("support", "teknik", "nedbrud")
    during = EnquiryFactory(category=outage)
    netbank = EnquiryFactory(category=category("support", "aktivering", "kun-netbank"))
    ministry = EnquiryFactory(category=category("ministry", "nedbrud", "nedbrud"))
    before = EnquiryFactory(category=outage, received_at=timezone.now() - timedelta(hours=2))
    unrelated = EnquiryFactory(category=category("support", "noeglekort", "mistet"))
    return {
        "incident": incident,
        "suggested": {during, netbank, ministry},
        "during": during,
        "before": before,
        "unrelated": unrelated,
        "outage": outage,
    }


def test_every_service_is_mapped_to_codes_of_the_taxonomy(taxonomy):
    known = {
        *(f"{q}:{t}" for q, t in Topic.objects.values_list("queue__code", "code")),
        *(
            f"{q}:{t}:{c}"
            for q, t, c in Category.objects.values_list("topic__queue__code", "topic__code", "code")
        ),
    }
    mapping = service_map.mapping()

    assert set(mapping) == set(Service.values)
    for service, codes in mapping.items():
        assert codes, service
        assert {":".join(c) for c in codes} <= known, service


def test_suggestions_are_the_enquiries_of_the_window_and_services(world, personas):
    suggested = service_map.suggested_enquiries(world["incident"], personas["secretariat"])

    assert set(suggested) == world["suggested"]


def test_a_linked_enquiry_is_no_longer_suggested(world, personas):
    services.link_enquiries(
        world["incident"], Enquiry.objects.filter(pk=world["during"].pk), by=personas["agent"]
    )

    suggested = service_map.suggested_enquiries(world["incident"], personas["secretariat"])

    assert set(suggested) == world["suggested"] - {world["during"]}


def test_the_window_ends_at_the_expected_end_until_the_incident_ends(publish, taxonomy, personas):
    start = timezone.now() - timedelta(hours=5)
    incident = publish(started_at=start, expected_end_at=start + timedelta(hours=1))
    outage = category("support", "teknik", "nedbrud")
    inside = EnquiryFactory(category=outage, received_at=start + timedelta(minutes=30))
    EnquiryFactory(category=outage, received_at=start + timedelta(hours=2))

    suggested = service_map.suggested_enquiries(incident, personas["secretariat"])

    assert list(suggested) == [inside]


def test_an_agent_is_suggested_only_enquiries_of_their_queues(world, personas):
    suggested = service_map.suggested_enquiries(world["incident"], personas["agent"])

    assert set(suggested) == world["suggested"] - {
        e for e in world["suggested"] if e.queue.code != "support"
    }


def test_linking_twice_links_once(world, personas):
    chosen = Enquiry.objects.filter(pk__in=[e.pk for e in world["suggested"]])

    first = services.link_enquiries(world["incident"], chosen, by=personas["secretariat"])
    second = services.link_enquiries(world["incident"], chosen, by=personas["secretariat"])

    assert (first, second) == (3, 0)
    assert IncidentLink.objects.filter(incident=world["incident"]).count() == 3


def test_an_agent_links_only_enquiries_they_may_see(world, personas):
    chosen = Enquiry.objects.filter(pk__in=[e.pk for e in world["suggested"]])

    count = services.link_enquiries(world["incident"], chosen, by=personas["agent"])

    assert count == 2
    assert not IncidentLink.objects.filter(enquiry__queue__code="ministry").exists()


def test_a_manager_may_not_link_or_unlink(world, personas):
    chosen = Enquiry.objects.filter(pk=world["during"].pk)

    with pytest.raises(PermissionDenied):
        services.link_enquiries(world["incident"], chosen, by=personas["manager"])
    with pytest.raises(PermissionDenied):
        services.unlink_enquiries(world["incident"], chosen, by=personas["manager"])
    assert not IncidentLink.objects.exists()


def test_unlinking_removes_only_the_chosen_links(world, personas):
    incident, lead = world["incident"], personas["team_lead"]
    services.link_enquiries(incident, Enquiry.objects.all(), by=lead)

    removed = services.unlink_enquiries(
        incident, Enquiry.objects.filter(pk=world["during"].pk), by=lead
    )
    again = services.unlink_enquiries(
        incident, Enquiry.objects.filter(pk=world["during"].pk), by=lead
    )

    assert (removed, again) == (1, 0)
    assert not incident.links.filter(enquiry=world["during"]).exists()
    assert incident.links.exists()


def _page_request(route, world):
    incident = world["incident"]
    if route == "notices:bulk-link":
        url = reverse(route) + f"?q={world['during'].reference}"
        return url, {"incident-incident": incident.pk}
    if route == "notices:unlink":
        return reverse(route, kwargs={"pk": incident.pk}), {"enquiry": world["before"].pk}
    return reverse(route, kwargs={"pk": incident.pk}), {"enquiry": [world["during"].pk]}


@pytest.mark.parametrize(("route", "method", "role", "expected"), cases_by_role(PAGES))
def test_who_may_use_each_link_page(client_as, world, personas, route, method, role, expected):
    IncidentLink.objects.create(incident=world["incident"], enquiry=world["before"])
    before = set(IncidentLink.objects.values_list("enquiry_id", flat=True))
    url, data = _page_request(route, world)

    response = client_as(role).post(url, data)

    assert answer(response) == expected
    after = set(IncidentLink.objects.values_list("enquiry_id", flat=True))
    if expected == DONE:
        assert after != before, "an allowed request changed nothing"
    else:
        assert after == before, "a refused request changed something"


def test_the_incident_page_links_every_suggestion_at_once(client_as, world):
    incident = world["incident"]
    client = client_as("secretariat")

    page = client.get(reverse("notices:detail", kwargs={"pk": incident.pk}))
    response = client.post(
        reverse("notices:link", kwargs={"pk": incident.pk}), {"all_suggested": "1"}
    )

    assert {e.pk for e in page.context["suggested"]} == {e.pk for e in world["suggested"]}
    assert response.status_code == 302
    assert set(incident.links.values_list("enquiry_id", flat=True)) == {
        e.pk for e in world["suggested"]
    }


def test_the_incident_page_refuses_an_empty_choice(client_as, world):
    incident = world["incident"]

    response = client_as("agent").post(
        reverse("notices:link", kwargs={"pk": incident.pk}), {"enquiry": ["x"]}, follow=True
    )

    assert not incident.links.exists()
    assert "Choose enquiries from the list." in response.content.decode()


def test_the_enquiry_list_links_what_its_panel_renders(client_as, world):
    """The bulk panel's form field is the one the view reads."""
    client = client_as("team_lead")
    query = f"q={world['during'].reference}"
    listing = client.get(reverse("enquiries:list") + "?" + query).content.decode()

    assert 'name="incident-incident"' in listing
    response = client.post(
        reverse("notices:bulk-link") + "?" + query, {"incident-incident": world["incident"].pk}
    )

    assert response["Location"].endswith(f"/{world['incident'].pk}/#links")
    assert list(world["incident"].links.values_list("enquiry_id", flat=True)) == [
        world["during"].pk
    ]


def test_the_enquiry_page_shows_its_incidents_in_danish(client_as, world, personas):
    IncidentLink.objects.create(incident=world["incident"], enquiry=world["during"])
    url = reverse("enquiries:detail", kwargs={"reference": world["during"].reference})

    page = client_as("agent", language="da").get(url).content.decode()

    assert 'id="incidents-heading">Driftsforstyrrelser</h2>' in page
    assert world["incident"].title_da in page


@pytest.mark.parametrize("rows", [1, 25])
def test_the_incident_page_queries_do_not_grow_with_rows(
    client_as, world, rows, django_assert_num_queries
):
    # The banner's cached copy lives 30 s; a slow machine can outlast it
    # between two requests, and its one query is not the page's.
    cache.set(cache_keys.BANNER, [], 3600)
    incident = world["incident"]
    for _n in range(rows):
        IncidentLink.objects.create(
            incident=incident, enquiry=EnquiryFactory(category=world["outage"])
        )
        EnquiryFactory(category=world["outage"])
    client = client_as("team_lead")
    url = reverse("notices:detail", kwargs={"pk": incident.pk})
    client.get(url)

    with django_assert_num_queries(QUERIES_INCIDENT_PAGE):
        response = client.get(url)

    assert len(response.context["page"]) == rows
    assert len(response.context["suggested"]) == rows + 2


# The permissions and roles are kept since the warm-up (accounts.access).
QUERIES_INCIDENT_PAGE = 8


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(API))
def test_who_may_call_each_link_api_route(client_as, world, method, path, body, role, expected):
    incident = world["incident"]
    IncidentLink.objects.create(incident=incident, enquiry=world["during"])
    before = set(IncidentLink.objects.values_list("enquiry_id", flat=True))

    response = client_as(role).post(
        path.format(incident=incident.pk),
        {"enquiries": [world["during"].pk, world["before"].pk]},
        content_type="application/json",
    )

    assert answer(response) == expected
    after = set(IncidentLink.objects.values_list("enquiry_id", flat=True))
    if expected == 200:
        assert response.json() == {"count": 1}
        assert after != before
    else:
        assert after == before


def _api(client, incident, action, body, **headers):
    return client.post(
        f"/api/v1/incidents/{incident.pk}/{action}/",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_the_api_links_the_suggestions_and_a_filter(client_as, world):
    client, incident = client_as("secretariat"), world["incident"]

    suggested = _api(client, incident, "link", {"suggested": True})
    filtered = _api(client, incident, "link", {"filter": {"q": world["unrelated"].reference}})

    assert (suggested.json(), filtered.json()) == ({"count": 3}, {"count": 1})
    assert incident.links.count() == 4


def test_the_api_replays_a_repeated_idempotency_key(client_as, world):
    client, incident = client_as("secretariat"), world["incident"]
    body = {"enquiries": [world["during"].pk]}

    first = _api(client, incident, "link", body, **{"Idempotency-Key": "link-1"})
    IncidentLink.objects.all().delete()
    second = _api(client, incident, "link", body, **{"Idempotency-Key": "link-1"})

    assert first.json() == second.json() == {"count": 1}
    assert second["Idempotent-Replayed"] == "true"
    assert not IncidentLink.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "enquiries"),
        ({"enquiries": [1], "suggested": True}, "enquiries"),
        ({"filter": {}}, "filter"),
        ({"filter": {"status": "nonsense"}}, "filter.status"),
        ({"enquiries": ["one"]}, "enquiries.0"),
        ({"suggested": "maybe"}, "suggested"),
    ],
)
def test_the_api_answers_bad_input_with_a_clear_400(client_as, world, body, field):
    response = _api(client_as("secretariat"), world["incident"], "link", body)

    assert response.status_code == 400
    assert field in response.json()
    assert not IncidentLink.objects.exists()


def test_the_api_answers_404_for_an_unknown_incident(client_as, world):
    response = client_as("secretariat").post(
        "/api/v1/incidents/999999/link/", {"suggested": True}, content_type="application/json"
    )

    assert response.status_code == 404


def test_link_and_unlink_are_in_the_openapi_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    for action in ("link", "unlink"):
        operation = schema["paths"][f"/api/v1/incidents/{{id}}/{action}/"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/IncidentLinkRequest"}
        assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert set(schema["components"]["schemas"]["IncidentLinkRequest"]["properties"]) == {
        "enquiries",
        "filter",
        "suggested",
    }
