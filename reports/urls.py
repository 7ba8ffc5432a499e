from django.urls import path, re_path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportView.as_view(), name="user-analysis"),
    re_path(
        r"^user-analysis\.(?P<fmt>html|pdf)$",
        views.ReportDownloadView.as_view(),
        name="download",
    ),
]
