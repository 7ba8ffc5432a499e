"""Every route of the project is in a role x route permission table.

The whole URLconf is walked, every app's pages and API, and each route,
with each method its view answers, must appear in one of the tables below;
a new route or a new handler on an old one fails here until its row says
who may use it. Each table's own module turns every row into a request per
role (tests/permissions.py), so a row is also a test.

Only the Django admin is left out: its hundreds of routes are Django's own,
behind staff status, and tests/accounts/test_admin_roles.py generates its
role table from the admin's registry.
"""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.views.generic import RedirectView
from django.views.generic.edit import ProcessFormView

from tests.accounts.test_permissions import PERMISSIONS as SITE
from tests.actions.test_api import ROUTES as ACTIONS_API
from tests.actions.test_views import CHANGES as ACTION_CHANGES
from tests.actions.test_views import CREATES as ACTION_CREATES
from tests.actions.test_views import PAGES as ACTION_PAGES
from tests.analytics.test_permissions import API as ANALYTICS_API
from tests.analytics.test_permissions import PAGES as ANALYTICS_PAGES
from tests.answers.test_permissions import API as ANSWERS_API
from tests.answers.test_permissions import PAGES as ANSWERS_PAGES
from tests.api.test_permissions import ROUTES as API
from tests.dashboards.test_permissions import EXPECTED as DASHBOARD_ANSWERS
from tests.dashboards.test_permissions import ROUTES as DASHBOARD_ROUTES
from tests.enquiries.test_views_permissions import PERMISSIONS as PAGES
from tests.exports.test_permissions import PAGES as EXPORT_PAGES
from tests.feedback.test_api import ROUTES as FEEDBACK_API
from tests.feedback.test_views import ROUTES as FEEDBACK_PAGES
from tests.knowledge.test_permissions import API as KNOWLEDGE_API
from tests.knowledge.test_permissions import PAGES as KNOWLEDGE_PAGES
from tests.mailroom.test_permissions import API as MAILROOM_API
from tests.mailroom.test_permissions import PAGES as MAILROOM_PAGES
from tests.notices.test_api import API as NOTICES_API
from tests.notices.test_links import API as INCIDENT_LINK_API
from tests.notices.test_links import PAGES as INCIDENT_LINK_PAGES
from tests.notices.test_permissions import PAGES as NOTICES_PAGES
from tests.privacy.test_permissions import API as PRIVACY_API
from tests.privacy.test_permissions import PAGES as PRIVACY_PAGES
from tests.problems.test_api import ROUTES as PROBLEMS_API
from tests.problems.test_api import URL as PROBLEMS_URL
from tests.problems.test_views import PERMISSIONS as PROBLEM_PAGES
from tests.reports.test_views import ROUTES as REPORT_ROUTES
from tests.stakeholders.test_permissions import ROUTES as STAKEHOLDER_ROUTES

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# Top-level routes of nemid_cases/urls.py that belong to no app's include.
SITE_ROUTES = {
    "home",
    "login",
    "logout",
    "set_language",
    "javascript-catalog",
    "health",
    "ready",
    "api-schema",
    "api-docs",
    "api-redoc",
}
# Values for the placeholders of the API tables' paths.
SAMPLE = dict.fromkeys(
    (
        *("enquiry", "resolved", "queue", "topic", "category", "citizen", "incident"),
        *("text", "hook", "action", "theme", "kpi", "survey", "rating", "id", "draft", "mailbox"),
    ),
    1,
) | {"reference": "NID-2010-000001", "key": "welcome-letter", "reply": 1}
# The one namespace not walked (see the module's docstring).
ADMIN = "admin"


def walk(patterns, namespace: str = "") -> Iterator[tuple[str | None, URLPattern]]:
    """(namespaced name, pattern) of every route; the name is None if it has none."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == ADMIN:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        else:
            yield (namespace + pattern.name if pattern.name else None), pattern


def methods(callback) -> set[str] | None:
    """The methods a view answers, or None for a plain function."""
    if hasattr(callback, "actions"):
        # A DRF viewset: its router mapped these methods to actions.
        # DRF adds `head` for `get` on the first request; HEAD is a GET.
        allowed = callback.cls.http_method_names
        return {m for m in callback.actions if m in allowed and m in HTTP_METHODS}
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view is None:
        return None
    found = {m for m in HTTP_METHODS if hasattr(view, m) and m in view.http_method_names}
    if issubclass(view, RedirectView):
        # A redirect answers every method alike; its GET row stands for all.
        return {"get"}
    if getattr(view, "put", None) is ProcessFormView.put:
        # Django's form views answer PUT as POST; no HTML form sends one.
        found.discard("put")
    return found


def required() -> set[tuple[str, str]]:
    """(route name, method) of every route, as the URLconf has them."""
    needed = set()
    for name, pattern in walk(get_resolver().url_patterns):
        answered = methods(pattern.callback)
        needed |= {(name, method) for method in answered} if answered else {(name, "*")}
    return needed


def named(path: str) -> str:
    """The namespaced route name of a table's path."""
    match = resolve(path.format(**SAMPLE))
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def tabled() -> set[tuple[str, str]]:
    """(route name, method) of every row of the permission tables."""
    rows = {(f"enquiries:{route}", method) for route, method, *_ in PAGES}
    rows |= {(f"privacy:{route}", method) for route, method, *_ in PRIVACY_PAGES}
    rows |= {(f"problems:{route}", method) for route, method, *_ in PROBLEM_PAGES}
    rows |= {(f"analytics:{route}", method) for route, method, *_ in ANALYTICS_PAGES}
    rows |= {(f"exports:{route}", method) for route, method, *_ in EXPORT_PAGES}
    rows |= {(route, method) for route, method, *_ in SITE}
    rows |= {(route, method) for route, method, *_ in [*NOTICES_PAGES, *INCIDENT_LINK_PAGES]}
    rows |= {(route, method) for route, method, *_ in ANSWERS_PAGES}
    rows |= {(route, method) for route, method, *_ in MAILROOM_PAGES}
    rows |= {(route, method) for route, method, *_ in KNOWLEDGE_PAGES}
    rows |= {(f"actions:{name}", "get") for name, *_ in ACTION_PAGES}
    rows |= {(f"actions:{name}", "post") for name, *_ in [*ACTION_CHANGES, *ACTION_CREATES]}
    rows |= {(route, method) for route, method, *_ in FEEDBACK_PAGES}
    # Its rows under "elsewhere:" are a test URLconf's, not the site's.
    rows |= {
        (route, method)
        for route, method, *_ in STAKEHOLDER_ROUTES
        if not route.startswith("elsewhere:")
    }
    # Tables keyed by path: GET-only pages, then the API's (method, path).
    assert all(len(answers) == len(DASHBOARD_ROUTES) for answers in DASHBOARD_ANSWERS.values())
    rows |= {(named(path), "get") for path in DASHBOARD_ROUTES.values()}
    rows |= {(named(path), "get") for path, *_ in REPORT_ROUTES}
    problems_api = [(method, PROBLEMS_URL + path) for method, path, *_ in PROBLEMS_API]
    for method, path, *_ in [
        *API,
        *PRIVACY_API,
        *NOTICES_API,
        *ACTIONS_API,
        *FEEDBACK_API,
        *ANALYTICS_API,
        *ANSWERS_API,
        *MAILROOM_API,
        *INCIDENT_LINK_API,
        *KNOWLEDGE_API,
        *problems_api,
    ]:
        rows.add((named(path), method))
    # A function view is covered by a row for any method.
    return rows | {(name, "*") for name, _method in rows}


def test_every_route_has_a_name():
    # A table row names its route; a nameless route could have none.
    nameless = [
        str(pattern.pattern) for name, pattern in walk(get_resolver().url_patterns) if not name
    ]

    assert not nameless, f"routes without a name: {nameless}"


def test_every_route_and_method_is_in_a_permission_table():
    missing = required() - tabled()

    assert not missing, f"routes without a row in a role x route table: {sorted(missing)}"


def test_the_tables_name_only_routes_that_exist():
    stale = {name for name, _method in tabled()} - {name for name, _method in required()}

    assert not stale, f"rows for routes the URLconf does not have: {sorted(stale)}"


def test_the_walk_sees_the_routes_it_must_cover():
    # Guards the walk itself: were it to find nothing, nothing would fail.
    needed = required()

    assert ("enquiries:detail", "get") in needed
    assert ("api:enquiry-transition", "post") in needed
    assert ("login", "post") in needed
    assert ("privacy:erase", "post") in needed
    assert ("api:datarequest-citizen-export", "post") in needed
    assert ("actions:create", "post") in needed
    assert ("feedback:rate", "post") in needed
    assert ("stakeholders:overview", "get") in needed
    assert ("api:recommendation-list", "get") in needed
    assert ("analytics:rebalance", "post") in needed
    assert ("dashboards:export", "get") in needed
    assert ("exports:enquiries", "get") in needed
    assert ("reports:download", "get") in needed
    assert ("problems:bulk-link", "post") in needed
    assert ("api:action-kpi-readings", "post") in needed
    assert ("api:surveyresult-detail", "delete") in needed
    assert ("api:topic-share-list", "get") in needed
    assert not any(name.startswith("admin:") for name, _method in needed)
    assert ("mailroom:link-citizen", "post") in needed
    assert ("api:mailbox-push", "post") in needed
    assert ("knowledge:use", "post") in needed
    assert ("api:article-suggestions", "get") in needed
