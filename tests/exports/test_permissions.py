"""Who may download the enquiry and action lists: role x route.

Every role that reads a list may download it (each within their scope,
tests/exports/test_enquiry_export.py and test_action_export.py); a visitor
who is not logged in is sent to the login form.
"""

import pytest
from django.urls import reverse

from tests.permissions import LOGIN, answer, cases_by_role

OK = 200

# fmt: off
#   route        method agent lead secr mgr admin anon
PAGES = [
    ("enquiries", "get", OK,   OK,  OK,  OK, OK,   LOGIN),
    ("actions",   "get", OK,   OK,  OK,  OK, OK,   LOGIN),
]
# fmt: on


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("route", "method", "role", "expected"), cases_by_role(PAGES))
def test_each_role_gets_the_export_answer_of_the_table(
    client_as, exported, action_rows, route, method, role, expected, fmt
):
    response = getattr(client_as(role), method)(reverse(f"exports:{route}", kwargs={"fmt": fmt}))

    assert answer(response) == expected
    if expected == OK:
        assert response["Content-Disposition"].startswith("attachment")
