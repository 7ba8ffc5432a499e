"""Walk every page a role can open, for checks that must hold on all of them.

Every named route with a GET handler is visited, apart from those listed
in SKIPPED with the reason; a route with URL arguments needs a row in
`arguments()`, so a new page is walked (or the walk fails) from the day it
is added.
"""

import html
import re
from collections.abc import Iterator

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Not pages a person reads in the browser, or not HTML.
SKIPPED = {
    "login": "the sign-in form (walked signed out by the layout tests)",
    "logout": "POST only for people",
    "set_language": "a redirect",
    "javascript-catalog": "JavaScript",
    "health": "a health check",
    "ready": "a readiness check (JSON)",
    "api-schema": "the OpenAPI document",
    "api-docs": "Swagger UI, English by design (the API's documentation)",
    "stakeholders:attachment-download": "a file download",
    "mailroom:attachment": "a file download (an e-mail's attachment)",
    "reports:download": "a file download (the report's own Danish document)",
    "dashboards:export": "a CSV or XLSX download",
    "exports:enquiries": "a CSV or XLSX download",
    "exports:actions": "a CSV or XLSX download",
    "status:feed-json": "the public status feed (JSON)",
    "status:feed-atom": "the public status feed (Atom XML)",
    "answers:letter": "a PDF download (a letter for print)",
    "knowledge:suggest": "an HTML fragment, walked inside the log form and the enquiry page",
}
# Prefixes of routes that are no pages of the product.
SKIPPED_PREFIXES = ("api:", "admin:")


def _walk(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern


def _answers_get(pattern: URLPattern) -> bool:
    view = getattr(pattern.callback, "view_class", None)
    if view is None:
        return True
    return hasattr(view, "get") and "get" in view.http_method_names


def page_routes() -> list[tuple[str, URLPattern]]:
    """(name, pattern) of every page to walk."""
    return [
        (name, pattern)
        for name, pattern in _walk(get_resolver().url_patterns)
        if name not in SKIPPED and not name.startswith(SKIPPED_PREFIXES) and _answers_get(pattern)
    ]


def arguments(desk: dict) -> dict[str, dict]:
    """URL arguments of each route that takes some, from the desk's rows."""
    reference = {"reference": desk["late"].reference}
    action, kpi = desk["action"], desk["kpi"]
    return {
        "enquiries:detail": reference,
        "enquiries:edit": reference,
        "enquiries:citizen-detail": {"pk": desk["citizen"].pk},
        "enquiries:citizen-edit": {"pk": desk["citizen"].pk},
        "analytics:alert-detail": {"pk": desk["alert"].pk},
        "actions:detail": {"pk": action.pk},
        "actions:edit": {"pk": action.pk},
        "actions:status": {"pk": action.pk},
        "actions:add-update": {"pk": action.pk},
        "actions:add-kpi": {"pk": action.pk},
        "actions:add-reading": {"pk": action.pk, "kpi_pk": kpi.pk},
        "stakeholders:organisation-detail": {"pk": desk["organisation"].pk},
        "stakeholders:organisation-update": {"pk": desk["organisation"].pk},
        "stakeholders:contact-update": {"pk": desk["contact"].pk},
        "stakeholders:workinggroup-detail": {"pk": desk["working_group"].pk},
        "stakeholders:workinggroup-update": {"pk": desk["working_group"].pk},
        "stakeholders:meeting-detail": {"pk": desk["meeting"].pk},
        "stakeholders:meeting-update": {"pk": desk["meeting"].pk},
        "stakeholders:meeting-recommendation-create": {"pk": desk["meeting"].pk},
        "stakeholders:recommendation-detail": {"pk": desk["recommendation"].pk},
        "stakeholders:recommendation-update": {"pk": desk["recommendation"].pk},
        "stakeholders:recommendation-respond": {"pk": desk["recommendation"].pk},
        "stakeholders:followup-detail": {"pk": desk["follow_up"].pk},
        "stakeholders:followup-update": {"pk": desk["follow_up"].pk},
        "stakeholders:followup-resolve": {"pk": desk["follow_up"].pk},
        "feedback:survey-update": {"pk": desk["survey"].pk},
        "feedback:rate": {"token": desk["rating_token"]},
        "privacy:citizen": {"pk": desk["citizen"].pk},
        "privacy:erase": {"pk": desk["citizen"].pk},
        "problems:detail": {"pk": desk["problem"].pk},
        "problems:edit": {"pk": desk["problem"].pk},
        "problems:resolve": {"pk": desk["problem"].pk},
        "notices:detail": {"pk": desk["incident"].pk},
        "answers:template-detail": {"key": desk["answer_template"].key},
        "answers:version-create": {"key": desk["answer_template"].key},
        "answers:reply": reference,
        "notices:draft-detail": {"pk": desk["draft"].pk},
        "mailroom:enquiry": reference,
        "mailroom:quarantine-detail": {"pk": desk["set_aside"].pk},
        "knowledge:article-detail": {"key": desk["article"].key},
        "knowledge:version-create": {"key": desk["article"].key},
        "help:article": {"key": desk["article"].key},
    }


# Query strings that show more of a page than its bare address.
EXTRA = {
    "actions:due-preview": {"due_phrase": "medio januar"},
}


def pages(client: Client, desk: dict) -> Iterator[tuple[str, str]]:
    """(route name, HTML) of every page `client` may open (others are skipped)."""
    kwargs = arguments(desk)
    for name, pattern in page_routes():
        if pattern.pattern.converters and name not in kwargs:
            raise AssertionError(f"{name} takes URL arguments: add them to arguments()")
        response = client.get(reverse(name, kwargs=kwargs.get(name)), EXTRA.get(name, {}))
        if response.status_code in (302, 403, 404, 405):
            continue
        assert response.status_code == 200, (name, response.status_code)
        if "html" in response.get("Content-Type", ""):
            yield name, response.content.decode()


def visible_text(content: str) -> str:
    """What a reader sees: text, titles and labels; no scripts, no markup."""
    content = re.sub(r"(?is)<(script|style|textarea)\b.*?</\1>", " ", content)
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', content)
    text = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", html.unescape(" ".join([text, *attributes])))


def options_per_select(content: str) -> list[int]:
    """How many options each <select> of the page carries."""
    return [
        len(re.findall(r"<option\b", select))
        for select in re.findall(r"(?is)<select\b.*?</select>", content)
    ]
