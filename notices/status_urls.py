"""The public status area: /status/ (see notices/status_views.py)."""

from django.urls import path

from notices import status_views

app_name = "status"

urlpatterns = [
    path("", status_views.StatusPageView.as_view(), name="page"),
    path("feed.json", status_views.feed_json, name="feed-json"),
    path("feed.atom", status_views.feed_atom, name="feed-atom"),
    path("widget/", status_views.WidgetView.as_view(), name="widget"),
]
