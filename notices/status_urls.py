"""The public status area: /status/ (see notices/status_views.py)."""

from django.urls import path

from notices import status_views

app_name = "status"

urlpatterns = [
    path("", status_views.status_page, name="page"),
    path("feed.json", status_views.feed_json, name="feed-json"),
    path("feed.atom", status_views.feed_atom, name="feed-atom"),
    path("widget/", status_views.widget, name="widget"),
]
