"""Who may use the statistics pages and their API: role x route.

Pattern alerts are read by the secretariat and managers and decided by the
secretariat (README, "Who does what"); the Workload page and its rebalance
button belong to team leads (their teams) and administrators; topic shares
are read by everyone, each within their queues.
"""

import pytest
from django.urls import reverse

from actions.models import Theme
from analytics.models import PatternAlert
from stakeholders.models import Organisation
from tests.analytics.test_alert_views import make_alert
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, DENIED = 200, 302, 403

# fmt: off
#   route            method  agent   lead    secr    mgr     admin   anon
PAGES = [
    ("alert-list",    "get",  DENIED, DENIED, OK,     OK,     OK,     LOGIN),
    ("alert-detail",  "get",  DENIED, DENIED, OK,     OK,     OK,     LOGIN),
    ("alert-dismiss", "post", DENIED, DENIED, DONE,   DENIED, DONE,   LOGIN),
    ("alert-act",     "post", DENIED, DENIED, DONE,   DENIED, DONE,   LOGIN),
    ("workload",      "get",  DENIED, OK,     DENIED, DENIED, OK,     LOGIN),
    ("rebalance",     "post", DENIED, DONE,   DENIED, DENIED, DONE,   LOGIN),
]

#   method  path                     agent lead secr mgr admin anon
API = [
    ("get",  "/api/v1/topic-shares/", 200,  200, 200, 200, 200,  401),
]
# fmt: on


@pytest.fixture
def world(taxonomy, support_team, personas):
    theme = Theme.objects.create(code="support", name_da="Support")
    owner = Organisation.objects.create(code="danid", name="DanID", kind="operator")
    return {
        "alert": make_alert(taxonomy["support"]),
        "team": support_team,
        "act": {"act-title": "Undersøg koderne", "act-theme": theme.pk, "act-owner": owner.pk},
    }


def _request(route: str, world: dict) -> tuple[str, dict]:
    alert = world["alert"]
    routes = {
        "alert-list": ({}, {}),
        "alert-detail": ({"pk": alert.pk}, {}),
        "alert-dismiss": ({"pk": alert.pk}, {"dismiss-reason": "Kendt fejl"}),
        "alert-act": ({"pk": alert.pk}, world["act"]),
        "workload": ({}, {}),
        "rebalance": ({"pk": world["team"].pk}, {}),
    }
    kwargs, data = routes[route]
    return reverse(f"analytics:{route}", kwargs=kwargs), data


@pytest.mark.parametrize(("route", "method", "role", "expected"), cases_by_role(PAGES))
def test_each_role_gets_the_page_answer_of_the_table(
    client_as, world, route, method, role, expected
):
    url, data = _request(route, world)

    response = getattr(client_as(role), method)(url, data)

    assert answer(response) == expected
    # A refused decision leaves the alert open.
    world["alert"].refresh_from_db()
    decided = route in ("alert-dismiss", "alert-act") and expected == DONE
    assert (world["alert"].status != PatternAlert.Status.OPEN) is decided


@pytest.mark.parametrize(("method", "path", "role", "expected"), cases_by_role(API))
def test_each_role_gets_the_api_answer_of_the_table(
    client_as, taxonomy, method, path, role, expected
):
    response = getattr(client_as(role), method)(
        path, {"queue": "support", "start": "2010-11-15", "end": "2010-11-15"}
    )

    assert answer(response) == expected
