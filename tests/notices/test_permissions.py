"""Who may use each outage-notice page: a role x route table.

Read by tests/accounts/test_route_tables.py, which fails when a notices
or status route has no row here.
"""

import pytest
from django.urls import reverse

from notices.models import Incident, IncidentUpdate
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, DENIED = 200, 302, 403

# fmt: off
#   route                method  body       agent   lead    secr    mgr     admin   anon
PAGES = [
    ("notices:list",     "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("notices:create",   "get",  None,      DENIED, DENIED, OK,     OK,     OK,     LOGIN),
    ("notices:create",   "post", "publish", DENIED, DENIED, DONE,   DONE,   DONE,   LOGIN),
    ("notices:detail",   "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("notices:update",   "post", "update",  DENIED, DENIED, DONE,   DONE,   DONE,   LOGIN),
    ("notices:resolve",  "post", "resolve", DENIED, DENIED, DONE,   DONE,   DONE,   LOGIN),
    ("status:page",      "get",  None,      OK,     OK,     OK,     OK,     OK,     OK),
    ("status:feed-json", "get",  None,      OK,     OK,     OK,     OK,     OK,     OK),
    ("status:feed-atom", "get",  None,      OK,     OK,     OK,     OK,     OK,     OK),
    ("status:widget",    "get",  None,      OK,     OK,     OK,     OK,     OK,     OK),
]
# fmt: on

BODIES = {
    "publish": {
        "title_da": "Signering er nede",
        "title_en": "Signing is down",
        "services": ["signing"],
        "severity": "major",
        "started_at": "2026-12-07 09:00",
        "text_code": "login-down",
    },
    "update": {"text_code": "login-down"},
    "resolve": {"text_code": "fixed"},
}


@pytest.mark.parametrize(("route", "method", "body", "role", "expected"), cases_by_role(PAGES))
def test_who_may_use_each_notices_page(client_as, publish, route, method, body, role, expected):
    incident = publish()
    kwargs = (
        {"pk": incident.pk}
        if route in ("notices:detail", "notices:update", "notices:resolve")
        else {}
    )
    before = (Incident.objects.count(), IncidentUpdate.objects.count())

    response = getattr(client_as(role), method)(reverse(route, kwargs=kwargs), BODIES.get(body, {}))

    assert answer(response) == expected
    if expected in (DENIED, LOGIN):
        assert (Incident.objects.count(), IncidentUpdate.objects.count()) == before
    if expected == DONE:
        assert IncidentUpdate.objects.count() == before[1] + 1
