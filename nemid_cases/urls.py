"""Top-level URL map: each app mounts its own HTML and API routes."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import (
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.views import HomeView, LoginView, set_language
from nemid_cases.schema_view import SchemaView
from operations import views as operations_views

# ReDoc adds <style> elements: those made after start-up carry the page's
# nonce (static/js/redoc-init.js); the two its bundle injects while loading
# cannot, so their content is allowed by hash (drf-spectacular-sidecar
# 2026.10.1; tests/browser/test_live_server.py fails if the bundle changes).
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]

handler400 = "nemid_cases.errors.bad_request"
handler403 = "nemid_cases.errors.permission_denied"
handler404 = "nemid_cases.errors.page_not_found"
handler500 = "nemid_cases.errors.server_error"

api_v1 = [
    path("", include("enquiries.api.urls")),
    path("", include("analytics.api.urls")),
    path("", include("actions.api.urls")),
    path("", include("stakeholders.api.urls")),
    path("", include("feedback.api.urls")),
    path("", include("privacy.api.urls")),
    path("", include("problems.api.urls")),
    path("", include("notices.api.urls")),
    path("", include("answers.api.urls")),
    path("", include("mailroom.api.urls")),
    path("", include("knowledge.api.urls")),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    path("healthz", operations_views.health, name="health"),
    path("readyz", operations_views.ready, name="ready"),
    path("enquiries/", include("enquiries.urls")),
    path("analytics/", include("analytics.urls")),
    path("actions/", include("actions.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("feedback/", include("feedback.urls")),
    path("reports/", include("reports.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("exports/", include("exports.urls")),
    path("privacy/", include("privacy.urls")),
    path("known-problems/", include("problems.urls")),
    path("notices/", include("notices.urls")),
    path("answers/", include("answers.urls")),
    path("mail/", include("mailroom.urls")),
    path("knowledge/", include("knowledge.urls")),
    # Public: the outage status page, its feeds and widget (anonymous).
    path("status/", include("notices.status_urls")),
    # Public: the knowledge base's articles flagged public (anonymous).
    path("help/", include("knowledge.help_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # Pages for people: the login form rather than a 401. Swagger UI's set-up
    # script is a second request to the same view (?script), so the page has
    # no inline script; both UIs load from drf-spectacular-sidecar's files.
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update({"style-src": [NONCE, *REDOC_STYLE_HASHES]})(
            login_required(
                SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
            )
        ),
        name="api-redoc",
    ),
]
