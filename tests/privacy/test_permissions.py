"""Who may use each data-request page and API route: role x route tables.

Both tables are also read by tests/accounts/test_route_tables.py, which
fails when a privacy route or method has no row here.
"""

import pytest
from django.test import Client
from django.urls import reverse

from enquiries.models import CprReveal
from privacy.models import DataRequest
from tests.permissions import LOGIN, answer, cases_by_role
from tests.privacy.conftest import CPR

OK, DONE, DENIED = 200, 302, 403

# fmt: off
#   route        method  body       agent   lead    secr    mgr     admin   anon
PAGES = [
    ("index",    "get",  None,      DENIED, DENIED, OK,     DENIED, OK,     LOGIN),
    ("index",    "post", "cpr",     DENIED, DENIED, DONE,   DENIED, DONE,   LOGIN),
    ("citizen",  "get",  None,      DENIED, DENIED, OK,     DENIED, OK,     LOGIN),
    ("export",   "post", "export",  DENIED, DENIED, OK,     DENIED, OK,     LOGIN),
    ("erase",    "get",  None,      DENIED, DENIED, OK,     DENIED, OK,     LOGIN),
    ("erase",    "post", "erase",   DENIED, DENIED, DONE,   DENIED, DONE,   LOGIN),
]

#   method  path                                   body      agent lead secr mgr admin anon
API = [
    ("get",  "/api/v1/data-requests/", None,                 403, 403, 200, 403, 200, 401),
    ("post", "/api/v1/data-requests/lookup/", "cpr",         403, 403, 200, 403, 200, 401),
    ("post", "/api/v1/data-requests/citizens/{citizen}/export/", "reason",
                                                             403, 403, 200, 403, 200, 401),
    ("post", "/api/v1/data-requests/citizens/{citizen}/erase/", "reason",
                                                             403, 403, 201, 403, 201, 401),
]
# fmt: on

BODIES = {
    "cpr": {"cpr": CPR},
    "export": {"reason": "Brev modtaget 3. marts", "format": "json"},
    "erase": {"reason": "Brev modtaget 3. marts", "confirm": "on"},
    "reason": {"reason": "Brev modtaget 3. marts"},
}


@pytest.mark.parametrize(("route", "method", "body", "role", "expected"), cases_by_role(PAGES))
def test_who_may_use_each_data_request_page(
    client_as, citizen, closed, route, method, body, role, expected
):
    args = [] if route == "index" else [citizen.pk]
    client = client_as(role)
    url = reverse(f"privacy:{route}", args=args)

    response = getattr(client, method)(url, BODIES.get(body, {}))

    assert answer(response) == expected
    if expected in (DENIED, LOGIN):
        assert not DataRequest.objects.exists() and not CprReveal.objects.exists()


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(API))
def test_who_may_call_each_data_request_api_route(
    client_as, citizen, closed, method, path, body, role, expected
):
    client: Client = client_as(role)

    response = getattr(client, method)(
        path.format(citizen=citizen.pk), BODIES.get(body), content_type="application/json"
    )

    assert answer(response) == expected
    if expected in (401, 403):
        assert not DataRequest.objects.exists() and not CprReveal.objects.exists()


def test_the_data_request_page_is_in_the_navigation_of_those_who_may_use_it(client_as):
    for role, shown in [("secretariat", True), ("admin", True), ("manager", False)]:
        labels = [
            str(item["label"])
            for item in client_as(role).get(reverse("home"), follow=True).context["nav_items"]
        ]
        assert ("Data requests" in labels) is shown, role


def test_bad_ids_are_not_found(client_as, citizen):
    client = client_as("secretariat")

    assert client.get("/privacy/citizens/999999/").status_code == 404
    assert (
        client.post(
            "/api/v1/data-requests/citizens/abc/export/",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
