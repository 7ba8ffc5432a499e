from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("alerts/", views.AlertListView.as_view(), name="alert-list"),
    path("alerts/<int:pk>/", views.AlertDetailView.as_view(), name="alert-detail"),
    path("alerts/<int:pk>/dismiss/", views.AlertDismissView.as_view(), name="alert-dismiss"),
    path("alerts/<int:pk>/act/", views.AlertActView.as_view(), name="alert-act"),
    path("workload/", views.WorkloadView.as_view(), name="workload"),
    path("workload/<int:pk>/rebalance/", views.RebalanceView.as_view(), name="rebalance"),
]
