"""Who may use each answers page and API route: role x route tables.

Read by tests/accounts/test_route_tables.py, which fails when an answers
route has no row here.
"""

import pytest
from django.urls import reverse

from answers import services
from answers.models import AnswerTemplateVersion, Reply
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, DENIED = 200, 302, 403

# fmt: off
#   route                      method  body       agent   lead    secr    mgr     admin   anon
PAGES = [
    ("answers:template-list",   "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("answers:template-create", "get",  None,      DENIED, OK,     OK,     DENIED, OK,     LOGIN),
    ("answers:template-create", "post", "new",     DENIED, DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("answers:template-detail", "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("answers:version-create",  "get",  None,      DENIED, OK,     OK,     DENIED, OK,     LOGIN),
    ("answers:version-create",  "post", "version", DENIED, DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("answers:reply",           "get",  None,      OK,     OK,     DENIED, DENIED, OK,     LOGIN),
    ("answers:reply",           "post", "reply",   DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
    ("answers:letter",          "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
]

API = [
    ("get",  "/api/v1/answer-templates/", None,                      200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/answer-templates/", "new",                     403, 201, 201, 403, 201, 401),
    ("get",  "/api/v1/answer-templates/{key}/", None,                200, 200, 200, 200, 200, 401),
    ("get",  "/api/v1/answer-templates/{key}/versions/", None,       200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/answer-templates/{key}/versions/", "version",  403, 201, 201, 403, 201, 401),
    ("get",  "/api/v1/enquiries/{reference}/replies/", None,         200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/enquiries/{reference}/replies/", "reply",      201, 201, 403, 403, 201, 401),
    ("get",  "/api/v1/enquiries/{reference}/replies/{reply}/", None, 200, 200, 200, 200, 200, 401),
]
# fmt: on

VERSION = {
    "subject_da": "Velkommen",
    "body_da": "Kære {citizen_name}",
    "subject_en": "Welcome",
    "body_en": "Dear {citizen_name}",
}
BODIES = {
    "new": {"key": "fact-sheet", **VERSION},
    "version": VERSION,
    "reply": {"channel": "email", "language": "da", "subject": "Svar", "body": "Kære Karen"},
}


@pytest.fixture
def letter(enquiry, personas):
    return services.send_reply(
        enquiry, by=personas["agent"], channel="letter", language="da", subject="a", body="b"
    )


def _counts() -> tuple[int, int]:
    return AnswerTemplateVersion.objects.count(), Reply.objects.count()


@pytest.mark.parametrize(("route", "method", "body", "role", "expected"), cases_by_role(PAGES))
def test_who_may_use_each_answers_page(
    client_as, welcome, enquiry, letter, route, method, body, role, expected
):
    kwargs = {
        "answers:template-detail": {"key": "welcome-letter"},
        "answers:version-create": {"key": "welcome-letter"},
        "answers:reply": {"reference": enquiry.reference},
        "answers:letter": {"pk": letter.pk},
    }.get(route, {})
    before = _counts()

    response = getattr(client_as(role), method)(reverse(route, kwargs=kwargs), BODIES.get(body, {}))

    assert answer(response) == expected
    if expected in (DENIED, LOGIN):
        assert _counts() == before
    if expected == DONE:
        assert _counts() != before


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(API))
def test_who_may_use_each_answers_api_route(
    client_as, welcome, enquiry, letter, method, path, body, role, expected
):
    url = path.format(key="welcome-letter", reference=enquiry.reference, reply=letter.pk)
    before = _counts()

    response = getattr(client_as(role), method)(
        url, BODIES.get(body, {}), content_type="application/json"
    )

    assert answer(response) == expected
    if expected != 201:
        assert _counts() == before
    else:
        assert _counts() != before
