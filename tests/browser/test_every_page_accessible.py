"""axe-core on every page an administrator can open, on a lived-in desk.

The administrator opens every page; the walk is the page walk of tests/ui,
so a new page is checked from the day it is added.
"""

import pytest
from django.urls import reverse

from tests.ui.desk import DEMO_LOGINS, desk  # noqa: F401  (a fixture)
from tests.ui.walk import EXTRA, arguments, page_routes


@pytest.mark.django_db(transaction=True)
def test_every_page_is_free_of_wcag_violations(
    live_server,
    page,
    desk,  # noqa: F811
    assert_accessible,
):
    user = desk["users"][DEMO_LOGINS["admin"]]
    user.set_password("secret-password")
    user.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-password")
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    kwargs = arguments(desk)
    checked = []
    for name, _pattern in page_routes():
        if name == "actions:due-preview":
            continue  # a fragment, checked inside the action form
        url = reverse(name, kwargs=kwargs.get(name))
        query = "&".join(f"{k}={v}" for k, v in EXTRA.get(name, {}).items())
        response = page.goto(f"{live_server.url}{url}{'?' + query if query else ''}")
        if response.status != 200 or not page.url.startswith(f"{live_server.url}{url}"):
            continue
        assert_accessible(page)
        checked.append(name)

    assert {"enquiries:list", "enquiries:detail", "stakeholders:overview"} <= set(checked)
