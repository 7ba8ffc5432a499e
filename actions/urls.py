from django.urls import path, register_converter

from actions import views


class RowIdConverter:
    """A row id that fits a bigint: longer digit strings are a 404, not a 500."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowIdConverter, "action_pk")

app_name = "actions"

urlpatterns = [
    path("", views.ActionListView.as_view(), name="list"),
    path("follow-up/", views.FollowUpView.as_view(), name="follow-up"),
    path("by-organisation/", views.OwedView.as_view(), name="owed"),
    path("new/", views.ActionCreateView.as_view(), name="create"),
    path("due-preview/", views.DuePreviewView.as_view(), name="due-preview"),
    path("<action_pk:pk>/", views.ActionDetailView.as_view(), name="detail"),
    path("<action_pk:pk>/edit/", views.ActionEditView.as_view(), name="edit"),
    path("<action_pk:pk>/status/", views.ActionStatusView.as_view(), name="status"),
    path(
        "<action_pk:pk>/updates/new/", views.ProgressUpdateCreateView.as_view(), name="add-update"
    ),
    path("<action_pk:pk>/kpis/new/", views.KpiCreateView.as_view(), name="add-kpi"),
    path(
        "<action_pk:pk>/kpis/<action_pk:kpi_pk>/readings/new/",
        views.KpiReadingCreateView.as_view(),
        name="add-reading",
    ),
]
