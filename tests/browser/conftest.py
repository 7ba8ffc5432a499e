"""Browser tests: Playwright driving Debian's Chromium against live_server.

Every test here is marked `browser`. Log in with `login(page, persona)` and
check accessibility with `assert_accessible(page)` (axe-core, WCAG 2.1 AA).
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; Django's
# async-safety check would otherwise refuse the ORM calls in fixtures.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def da(text: str) -> str:
    """What the Danish browser shows for a UI string."""
    with translation.override("da"):
        return translation.gettext(text)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _danish_by_default(settings):
    # The site's language, as a user who never used the switch gets it.
    settings.LANGUAGE_CODE = "da"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


@pytest.fixture
def login(live_server, personas):
    """Log `page` in as a persona through the real login form."""

    def do_login(page, persona: str, password: str = "secret-password"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Brugernavn").fill(personas[persona].username)
        page.get_by_label("Adgangskode").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log ind").click()

    return do_login


@pytest.fixture(scope="session")
def _axe():
    return Axe()


@pytest.fixture
def assert_accessible(_axe):
    """Run axe-core on the page; fail listing any WCAG 2.1 A/AA violation."""

    def check(page):
        # After a click that navigates, the new document may still be
        # parsing (axe once found no root element in CI): check it loaded.
        page.wait_for_load_state("load")
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        violations = results.response["violations"]
        assert not violations, results.generate_report()

    return check
