from django.urls import path, re_path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="overview"),
    re_path(
        r"^export/(?P<slug>[a-z-]{1,40})\.(?P<fmt>csv|xlsx)$",
        views.DashboardExportView.as_view(),
        name="export",
    ),
]
