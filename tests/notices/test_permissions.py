"""Who may use each outage-notice page: a role x route table.

Read by tests/accounts/test_route_tables.py, which fails when a notices
or status route has no row here.
"""

import pytest
from django.urls import reverse

from notices.models import Incident, IncidentUpdate, PublicationDraft
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
    ("notices:draft-list",    "get",  None,     DENIED, DENIED, OK,     OK,     OK,     LOGIN),
    ("notices:draft-detail",  "get",  None,     DENIED, DENIED, OK,     OK,     OK,     LOGIN),
    ("notices:draft-approve", "post", "decide", DENIED, DENIED, DENIED, DONE,   DONE,   LOGIN),
    ("notices:draft-reject",  "post", "reject", DENIED, DENIED, DENIED, DONE,   DONE,   LOGIN),
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
    "reject": {"reason": "Titlen er forkert."},
}
DRAFT_ROUTES = ("notices:draft-detail", "notices:draft-approve", "notices:draft-reject")


@pytest.mark.parametrize(("route", "method", "body", "role", "expected"), cases_by_role(PAGES))
def test_who_may_use_each_notices_page(
    client_as, publish, draft, route, method, body, role, expected
):
    incident = publish()
    kwargs = (
        {"pk": incident.pk}
        if route in ("notices:detail", "notices:update", "notices:resolve")
        else {"pk": draft.pk}
        if route in DRAFT_ROUTES
        else {}
    )
    data = BODIES.get(body, {})
    if route in DRAFT_ROUTES:
        data = {**data, "version": draft.version}
    before = (Incident.objects.count(), IncidentUpdate.objects.count())
    pending = PublicationDraft.objects.filter(status=PublicationDraft.Status.PENDING).count()

    response = getattr(client_as(role), method)(reverse(route, kwargs=kwargs), data)

    assert answer(response) == expected
    if expected in (DENIED, LOGIN):
        assert (Incident.objects.count(), IncidentUpdate.objects.count()) == before
        assert PublicationDraft.objects.filter(status="pending").count() == pending
    if expected == DONE and route in DRAFT_ROUTES:
        draft.refresh_from_db()
        assert not draft.is_pending
    elif expected == DONE and role == "secretariat" and route == "notices:create":
        # The role table: the secretariat's new incident waits for approval.
        assert IncidentUpdate.objects.count() == before[1]
        assert PublicationDraft.objects.filter(status="pending").count() == pending + 1
    elif expected == DONE:
        assert IncidentUpdate.objects.count() == before[1] + 1
