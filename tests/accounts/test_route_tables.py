"""Every route of the support desk is in a role x route permission table.

The URLconf is walked and each route, with each method its view answers,
must appear in one of the tables below; a new route or a new handler on an
old one fails here until its row says who may use it.
"""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.views.generic import RedirectView
from django.views.generic.edit import ProcessFormView

from tests.accounts.test_permissions import PERMISSIONS as SITE
from tests.actions.test_views import CHANGES as ACTION_CHANGES
from tests.actions.test_views import CREATES as ACTION_CREATES
from tests.actions.test_views import PAGES as ACTION_PAGES
from tests.answers.test_permissions import API as ANSWERS_API
from tests.answers.test_permissions import PAGES as ANSWERS_PAGES
from tests.api.test_permissions import ROUTES as API
from tests.enquiries.test_views_permissions import PERMISSIONS as PAGES
from tests.feedback.test_views import ROUTES as FEEDBACK_PAGES
from tests.knowledge.test_permissions import API as KNOWLEDGE_API
from tests.knowledge.test_permissions import PAGES as KNOWLEDGE_PAGES
from tests.notices.test_api import API as NOTICES_API
from tests.notices.test_permissions import PAGES as NOTICES_PAGES
from tests.privacy.test_permissions import API as PRIVACY_API
from tests.privacy.test_permissions import PAGES as PRIVACY_PAGES
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
# Values for the placeholders of the API table's paths.
SAMPLE = dict.fromkeys(
    ("enquiry", "resolved", "queue", "topic", "category", "citizen", "incident", "text", "hook"),
    1,
) | {"reference": "NID-2010-000001", "key": "welcome-letter", "reply": 1}


def walk(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(namespaced name, pattern) of every named route."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern


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


# Apps whose every page and API route must have a row here.
WALKED_APPS = (
    "enquiries",
    "privacy",
    "stakeholders",
    "notices",
    "status",
    "answers",
    "knowledge",
)


# Apps whose every page must have a row here (their API: not yet).
PAGE_APPS = ("actions", "feedback")


def in_scope(name: str, pattern: URLPattern) -> bool:
    """The walked apps' routes: their pages, the site's and their API."""
    if name.split(":")[0] in (*WALKED_APPS, *PAGE_APPS) or name in SITE_ROUTES:
        return True
    view = getattr(pattern.callback, "cls", None)
    return name.startswith("api:") and (
        name == "api:api-root"
        or (view is not None and view.__module__.split(".")[0] in WALKED_APPS)
    )


def required() -> set[tuple[str, str]]:
    """(route name, method) of every route in scope, as the URLconf has them."""
    needed = set()
    for name, pattern in walk(get_resolver().url_patterns):
        if not in_scope(name, pattern):
            continue
        answered = methods(pattern.callback)
        needed |= {(name, method) for method in answered} if answered else {(name, "*")}
    return needed


def tabled() -> set[tuple[str, str]]:
    """(route name, method) of every row of the permission tables."""
    rows = {(f"enquiries:{route}", method) for route, method, *_ in PAGES}
    rows |= {(f"privacy:{route}", method) for route, method, *_ in PRIVACY_PAGES}
    rows |= {(route, method) for route, method, *_ in SITE}
    rows |= {(route, method) for route, method, *_ in NOTICES_PAGES}
    rows |= {(route, method) for route, method, *_ in ANSWERS_PAGES}
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
    for method, path, *_ in [*API, *PRIVACY_API, *NOTICES_API, *ANSWERS_API, *KNOWLEDGE_API]:
        match = resolve(path.format(**SAMPLE))
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        rows.add((name, method))
    # A function view is covered by a row for any method.
    return rows | {(name, "*") for name, _method in rows}


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
    assert ("knowledge:use", "post") in needed
    assert ("api:article-suggestions", "get") in needed
