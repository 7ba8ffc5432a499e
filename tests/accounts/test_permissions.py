"""Who may use the site-wide pages: home, sign-in and -out, language, health, readiness."""

import pytest
from django.urls import reverse

from tests.permissions import LOGIN, answer, cases_by_role

OK, REDIRECT, NOT_ALLOWED = 200, 302, 405

# route, method, then the answer for each role. Home sends each role to its
# start page; the sign-in form sends a signed-in user on as well; signing out
# ends on the sign-in form.
# fmt: off
#   route                 method  agent     lead      secr      mgr       admin     anon
PERMISSIONS = [
    ("home",               "get",  REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN),
    ("login",              "get",  REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK),
    ("login",              "post", REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK),
    ("logout",             "get",  NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED,
                                   NOT_ALLOWED, LOGIN),
    ("logout",             "post", LOGIN,    LOGIN,    LOGIN,    LOGIN,    LOGIN,    LOGIN),
    ("set_language",       "post", REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ("javascript-catalog", "get",  OK,       OK,       OK,       OK,       OK,       OK),
    ("health",             "get",  OK,       OK,       OK,       OK,       OK,       OK),
    ("ready",              "get",  OK,       OK,       OK,       OK,       OK,       OK),
]
# fmt: on

DATA = {
    # A wrong password: the anonymous visitor gets the form again.
    "login": {"username": "agent", "password": "not-the-password"},
    "set_language": {"language": "en", "next": "/"},
}


@pytest.mark.parametrize(("route", "method", "persona", "expected"), cases_by_role(PERMISSIONS))
def test_role_may_use_route(client_as, route, method, persona, expected):
    client = client_as(persona)

    response = getattr(client, method)(reverse(route), DATA.get(route, {}))

    assert answer(response) == expected
    if route == "logout" and method == "post":
        assert "_auth_user_id" not in client.session
