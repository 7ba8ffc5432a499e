"""Top-level URL map: each app mounts its own HTML and API routes."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import HomeView, health

api_v1 = [
    path("", include("enquiries.api.urls")),
    path("", include("analytics.api.urls")),
    path("", include("actions.api.urls")),
    path("", include("stakeholders.api.urls")),
    path("", include("feedback.api.urls")),
    path("", include("privacy.api.urls")),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    path("healthz", health, name="health"),
    path("enquiries/", include("enquiries.urls")),
    path("analytics/", include("analytics.urls")),
    path("actions/", include("actions.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("feedback/", include("feedback.urls")),
    path("reports/", include("reports.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("exports/", include("exports.urls")),
    path("privacy/", include("privacy.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # A page for people: the login form rather than a 401.
        login_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
