"""The public status page, its feeds and the embeddable widget.

Anonymous (login_not_required) and free of cookies and CSRF tokens, so
the answers can be cached by browsers and proxies: each view sets its own
Cache-Control (SecurityHeadersMiddleware leaves it), an ETag and a
Last-Modified, and answers a matching conditional request with 304. Only
the feeds carry `Access-Control-Allow-Origin: *`.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from nemid_cases import caching
from nemid_cases.views import PermissionView
from notices import cache_keys, feeds

MAX_AGE = 30


def _language(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang") == "en" else "da"


def _not_modified(request: HttpRequest, feed: feeds.Feed) -> bool:
    tags = request.headers.get("If-None-Match")
    if tags is not None:
        return feed.etag in [tag.strip() for tag in tags.split(",")] or tags.strip() == "*"
    return request.headers.get("If-Modified-Since") == feed.last_modified


def _serve(request, feed: feeds.Feed, content_type: str, *, cors: bool) -> HttpResponse:
    if _not_modified(request, feed):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(feed.body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["ETag"] = feed.etag
    response["Last-Modified"] = feed.last_modified
    if cors:
        response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def feed_json(request: HttpRequest) -> HttpResponse:
    return _serve(request, feeds.json_feed(), "application/json", cors=True)


@login_not_required
@require_GET
def feed_atom(request: HttpRequest) -> HttpResponse:
    base_url = f"{request.scheme}://{request.get_host()}"
    feed = feeds.atom_feed(_language(request), base_url)
    return _serve(request, feed, "application/atom+xml; charset=utf-8", cors=True)


def _page(request: HttpRequest, name: str) -> HttpResponse:
    """The page `name` (status or widget), rendered once per language and
    kept with the feeds' cached copies."""
    language = _language(request)
    key = f"{cache_keys.FEED_PREFIX}{name}-{language}"

    def render() -> str:
        with translation.override(language):
            incidents = feeds.public_incidents()
            context = {
                "language": language,
                "ongoing": [i for i in incidents if i.is_ongoing],
                "ended": [i for i in incidents if not i.is_ongoing],
            }
            return render_to_string(f"notices/{name}.html", context)

    response = HttpResponse(caching.get_or_set(key, render, cache_keys.FEED_SECONDS))
    response["Content-Language"] = language
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@method_decorator(login_not_required, name="dispatch")
class StatusPageView(PermissionView):
    """The public status page (GET only, as the feeds)."""

    permission_required = ()
    http_method_names = ["get"]
    page = "status"

    def get(self, request: HttpRequest) -> HttpResponse:
        return _page(request, self.page)


@method_decorator([xframe_options_exempt, csp_replace({"frame-ancestors": ["*"]})], name="dispatch")
class WidgetView(StatusPageView):
    """A small page a bank may show in an iframe on its own site."""

    page = "widget"
