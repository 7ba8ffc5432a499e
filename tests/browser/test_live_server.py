"""The live-server layer (issue 9): what a newcomer meets after `make run`.

One real server process (runserver, debug off, static files by whitenoise)
on a database loaded with the demo data, started once for this module. Every
role logs in over HTTP and every page it can reach by links is fetched on the
fresh process; then the API schema, Swagger UI and ReDoc are loaded (over
HTTP and in Chromium, which fetches the schema itself) and every page is
fetched again: the same form controls, no server error. Fault 1 of issue 9
(the schema turning the enquiry list's checkboxes into bare text) was only
visible this way. The same walk checks the headers and that no page carries
inline script or style (the CSP allows neither).

Run in one pytest-xdist group (`--dist loadgroup` in the Makefile), so the
server is built once per run.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import URLPattern, get_resolver

from feedback.services import LINK_SALT
from tests.accounts.test_route_tables import walk
from tests.browser.live import ROLES, LiveSite, crawl, inline_code
from tests.controls import form_controls

pytestmark = pytest.mark.xdist_group("live-server")

# GET pages no link leads to, each with the reason; every other GET route
# must be reached by the crawl, so a new page is walked from the day it is.
NOT_LINKED = {
    # The demo data raises no pattern alert (tests/analytics renders one).
    "analytics:alert-detail",
    # Needs a stored attachment; the demo data has none (tests/stakeholders).
    "stakeholders:attachment-download",
    # The stakeholder app's root answers with a redirect to its overview.
    "stakeholders:index",
    # The demo data records no known problem (tests/problems renders them).
    "problems:detail",
    "problems:edit",
    "problems:resolve",
    # The demo data publishes no incident (tests/ui's desk opens one).
    "notices:detail",
    # Nor a draft awaiting approval (tests/notices, the page walk's desk).
    "notices:draft-detail",
    # Nor an answer template, its versions or a letter (tests/answers).
    "answers:template-detail",
    "answers:version-create",
    "answers:letter",
    # Nor a knowledge-base article (tests/knowledge); the suggestions are a
    # fragment that static/js/knowledge.js fetches as the agent types.
    "knowledge:article-detail",
    "knowledge:version-create",
    "knowledge:suggest",
    # Nor any e-mail received (tests/mailroom files its corpus).
    "mailroom:enquiry",
    "mailroom:attachment",
    "mailroom:quarantine-detail",
    # Nor a public knowledge-base article (tests/knowledge/test_help.py).
    "help:article",
}
DOCS = ["/api/schema/", "/api/docs/", "/api/docs/?script=", "/api/redoc/"]


class Live:
    """The server, a logged-in session per role, and the fresh crawl."""

    def __init__(self, site: LiveSite):
        self.site = site
        self.sessions = {role: site.session(role) for role in ROLES}
        admin = self.sessions["admin"]
        resolved = admin.get(
            f"{site.url}/api/v1/enquiries/", params={"status": "resolved", "page_size": 1}
        ).json()["results"][0]["id"]
        token = signing.dumps(resolved, salt=LINK_SALT, key=site.secret_key)
        actions = admin.get(f"{site.url}/api/v1/actions/", params={"page_size": 100}).json()
        action = next(a for a in actions["results"] if a["kpis"])
        meeting = admin.get(f"{site.url}/api/v1/meetings/").json()["results"][0]["id"]
        # Pages reached by a script, an e-mail or a form's redisplay, not a link.
        self.extra = [
            "/healthz",
            "/readyz",
            "/jsi18n/",
            "/actions/due-preview/?due_phrase=medio+januar+2011",
            f"/actions/{action['id']}/kpis/{action['kpis'][0]['id']}/readings/new/",
            f"/stakeholders/meetings/{meeting}/recommendations/new/",
            f"/feedback/rate/{token}/",
        ]
        # One thread per role (runserver is threaded), as people work at once.
        with ThreadPoolExecutor(len(ROLES)) as pool:
            crawls = {
                role: pool.submit(crawl, session, site.url, self.extra)
                for role, session in self.sessions.items()
            }
            self.fresh = {role: done.result() for role, done in crawls.items()}

    def fetch(self, role: str, url: str):
        return self.sessions[role].get(self.site.url + url, allow_redirects=False, timeout=60)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    site = LiveSite(tmp_path_factory.mktemp("live-site")).start()
    try:
        yield Live(site)
    finally:
        site.stop()


@pytest.fixture(scope="module")
def after_docs(live, browser):
    """Every page again, after the schema and both API UIs were loaded."""
    for role in ROLES:
        for url in DOCS:
            assert live.fetch(role, url).status_code == 200, (role, url)
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    login(page, live.site, "agent")
    page.goto(f"{live.site.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30000)
    context.close()

    def revisit(role):
        return {name: live.fetch(role, page.url) for name, page in live.fresh[role].items()}

    with ThreadPoolExecutor(len(ROLES)) as pool:
        return dict(zip(ROLES, pool.map(revisit, ROLES), strict=True))


def login(page, site: LiveSite, username: str) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(ROLES[username])
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


def get_routes() -> set[str]:
    """Every named GET route of the house pages (not the admin, not the API)."""
    names = set()
    for name, pattern in walk(get_resolver().url_patterns):
        if name.startswith(("admin:", "api:", "api-")) or not isinstance(pattern, URLPattern):
            continue
        view = getattr(pattern.callback, "view_class", None)
        if view is None or ("get" in view.http_method_names and hasattr(view, "get")):
            names.add(name)
    return names - {"logout", "set_language", "login"}


def test_the_crawl_reaches_every_page(live):
    reached = set().union(*(pages.keys() for pages in live.fresh.values()))

    missing = get_routes() - reached - NOT_LINKED

    assert not missing, f"GET routes no role reached by a link: {sorted(missing)}"
    assert len(reached) >= 50


def test_no_page_of_any_role_is_a_server_error(live):
    errors = [
        (role, page.url, page.status)
        for role, pages in live.fresh.items()
        for page in pages.values()
        if page.status >= 500
    ]

    assert not errors, live.site.log()[-4000:]


def test_no_role_is_shown_a_link_it_may_not_open(live):
    refused = [
        (role, page.url, page.status)
        for role, pages in live.fresh.items()
        for page in pages.values()
        if page.status in (403, 404) and page.url not in live.extra
    ]

    assert not refused


def test_every_page_renders_the_same_controls_after_the_schema_and_docs(live, after_docs):
    changed = {}
    for role, pages in live.fresh.items():
        for name, page in pages.items():
            again = after_docs[role][name]
            assert again.status_code < 500, (role, page.url, live.site.log()[-3000:])
            if page.html is not None:
                before, after = page.controls, form_controls(again.text)
                if before != after:
                    changed[(role, page.url)] = sorted(set(before) ^ set(after))[:6]

    assert not changed, changed
    # The enquiry list's filters stayed checkboxes (the original fault).
    status = [c for c in live.fresh["agent"]["enquiries:list"].controls if c[1] == "status"]
    assert status and {c[2] for c in status} == {"checkbox"}


def test_no_page_carries_inline_script_or_style(live):
    # A download (the report as a self-contained HTML file, with its
    # stylesheet inside) is saved, not shown, so the CSP never applies.
    found = {
        (role, page.url): inline
        for role, pages in live.fresh.items()
        for page in pages.values()
        if page.html
        and not page.headers.get("Content-Disposition", "").startswith("attachment")
        and (inline := inline_code(page.html))
    }

    assert not found, found


# The public status and help areas are meant to be cached by browsers and
# proxies (docs/notices.md, docs/knowledge-base.md); the status feeds are
# JSON and Atom, answered before the CSP and Permissions-Policy middleware
# (notices.middleware), never rendered.
PUBLIC_CACHEABLE = {
    *("status:page", "status:widget", "status:feed-json", "status:feed-atom"),
    *("help:index", "help:article"),
}
FEEDS = {"status:feed-json", "status:feed-atom"}
# Figures a browser may keep and must revalidate with its ETag (a 304 when
# nothing on them changed): nemid_cases.conditional.
REVALIDATED = {"dashboards:overview"}


def caching_problems(name: str, headers: dict[str, str]) -> list[str]:
    cache_control = headers.get("cache-control", "")
    if name in PUBLIC_CACHEABLE:
        ok = cache_control.startswith("public, max-age=")
    elif name in REVALIDATED:
        ok = cache_control == "private, no-cache" and bool(headers.get("etag"))
    else:
        ok = "no-store" in cache_control
    return [] if ok else [f"Cache-Control: {headers.get('cache-control')}"]


def security_problems(headers: dict[str, str]) -> list[str]:
    problems = []
    csp = headers.get("content-security-policy", "")
    if "script-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"CSP: {csp}")
    if "camera=()" not in headers.get("permissions-policy", ""):
        problems.append("Permissions-Policy")
    if headers.get("referrer-policy") != "same-origin":
        problems.append("Referrer-Policy")
    return problems


def test_every_page_has_the_security_headers(live):
    wrong = {}
    for role, pages in live.fresh.items():
        for name, page in pages.items():
            headers = {key.lower(): value for key, value in page.headers.items()}
            problems = caching_problems(name, headers)
            # A feed is read by other sites' scripts, not shown: no page policy.
            if name not in FEEDS:
                problems += security_problems(headers)
            if headers.get("x-content-type-options") != "nosniff":
                problems.append("X-Content-Type-Options")
            if problems:
                wrong[(role, page.url)] = problems

    assert not wrong, wrong


def test_static_files_come_from_whitenoise_with_debug_off(live):
    response = live.fetch("agent", "/static/css/app.css")
    vendor = live.fetch("agent", "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")

    assert response.status_code == 200
    assert "text/css" in response.headers["Content-Type"]
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert vendor.status_code == 200


def test_a_missing_page_is_the_house_404_not_a_url_list(live):
    response = live.fetch("agent", "/no-such-page/")

    assert response.status_code == 404
    assert "Siden blev ikke fundet" in response.text
    assert 'class="site-nav"' in response.text
    assert "URLconf" not in response.text


def offline_context(browser, site: LiveSite):
    """A browser context that can reach the server and nothing else."""
    context = browser.new_context(locale="da-DK")
    blocked = []

    def only_loopback(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    return context, blocked


def watch_console(page) -> list[str]:
    messages = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: messages.append(str(e)))
    return messages


CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to", re.I)


def test_swagger_ui_renders_the_operations_offline(live, browser):
    context, blocked = offline_context(browser, live.site)
    page = context.new_page()
    console = watch_console(page)
    login(page, live.site, "agent")

    page.goto(f"{live.site.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30000)

    assert page.locator(".opblock").count() >= 60
    assert page.locator(".opblock-summary-path", has_text="/api/v1/enquiries/").count() >= 1
    assert not [m for m in console if CSP_VIOLATION.search(m)], console
    context.close()
    assert not blocked, blocked


def test_redoc_renders_the_operations_offline(live, browser):
    context, blocked = offline_context(browser, live.site)
    page = context.new_page()
    console = watch_console(page)
    login(page, live.site, "agent")

    page.goto(f"{live.site.url}/api/redoc/")
    page.wait_for_selector("[data-section-id^='operation/']", timeout=30000)

    assert page.locator("[data-section-id^='operation/']").count() >= 60
    # ReDoc always shows its makers' logo from their CDN; the CSP stops it
    # before any request leaves, which is as it should be.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert not [m for m in console if CSP_VIOLATION.search(m) and logo not in m], console
    context.close()
    assert not blocked, blocked


@pytest.mark.parametrize("role", list(ROLES))
def test_each_roles_navigation_in_chromium_after_the_docs(live, after_docs, browser, role):
    context, blocked = offline_context(browser, live.site)
    page = context.new_page()
    console = watch_console(page)
    login(page, live.site, role)
    start = page.url
    targets = [link.get_attribute("href") for link in page.locator(".site-nav a").all()]

    changed = {}
    for href in [urlsplit(start).path, *targets]:
        response = page.goto(live.site.url + href)
        assert response.status < 500, (role, href)
        name = next((name for name, p in live.fresh[role].items() if p.url == href), None)
        fresh = live.fresh[role].get(name)
        rendered = fresh is not None and fresh.html is not None
        if rendered and form_controls(response.text()) != fresh.controls:
            changed[href] = "controls differ from the fresh process"

    assert targets, f"{role} has no navigation"
    assert not changed, changed
    assert not [m for m in console if CSP_VIOLATION.search(m)], console
    context.close()
    assert not blocked, blocked
