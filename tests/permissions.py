"""What every role x route permission table shares.

Each test module keeps its own table in view: one row per route (and
method), one column per role. These helpers turn the rows into pytest cases
and read a response the same way everywhere, so "not logged in" means the
same in every app: a page sends the visitor to the login form (LOGIN), the
API asks for a token (401 with `WWW-Authenticate: Token`).
"""

from collections.abc import Callable, Sequence

import pytest
from django.http import HttpResponse
from django.urls import reverse

ROLES = ["agent", "team_lead", "secretariat", "manager", "admin", "anonymous"]
# The answer of a page to a visitor who is not logged in.
LOGIN = "login"


def cases(rows: Sequence[tuple], columns: Sequence[str] = ROLES) -> list:
    """One case per row: the row's leading values, then {column: expected}."""
    params = []
    for row in rows:
        key, answers = row[: -len(columns)], row[-len(columns) :]
        expected = dict(zip(columns, answers, strict=True))
        params.append(pytest.param(*key, expected, id=" ".join(str(k) for k in key if k)))
    return params


def cases_by_role(rows: Sequence[tuple], columns: Sequence[str] = ROLES) -> list:
    """One case per row and role: the row's leading values, the role, its answer."""
    return [
        pytest.param(*key, role, answer, id=" ".join([*(str(k) for k in key if k), role]))
        for *key, expected in (param.values for param in cases(rows, columns))
        for role, answer in expected.items()
    ]


def answer(response: HttpResponse) -> int | str:
    """The status code, or LOGIN for a redirect to the login form.

    A 401 must carry the token challenge, so a client knows how to log in.
    """
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Token"
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def answers(request: Callable[[str], HttpResponse], columns: Sequence[str] = ROLES) -> dict:
    """{column: answer} for one request made as each role in turn."""
    return {column: answer(request(column)) for column in columns}
