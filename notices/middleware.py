"""Answer the public feeds before the rest of the middleware stack.

Thousands of banks polling /status/feed.json must cost almost nothing: the
feeds need no session, user, language, CSRF or CSP (JSON and Atom are not
rendered as pages), so this sits right after Django's SecurityMiddleware
and answers from the cached copy (notices/feeds.py). The URLconf keeps the
same views for reverse() and the route tables; they answer only when this
middleware is not installed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from notices import status_views


class StatusFeedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.views = {
            "/status/feed.json": status_views.feed_json,
            "/status/feed.atom": status_views.feed_atom,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.views.get(request.path_info)
        if view is not None and request.method == "GET":
            return view(request)
        return self.get_response(request)
