from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path("new/", views.IncidentCreateView.as_view(), name="create"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<int:pk>/update/", views.IncidentUpdateView.as_view(), name="update"),
    path("<int:pk>/resolve/", views.IncidentResolveView.as_view(), name="resolve"),
    path("drafts/", views.DraftListView.as_view(), name="draft-list"),
    path("drafts/<int:pk>/", views.DraftDetailView.as_view(), name="draft-detail"),
    path("drafts/<int:pk>/approve/", views.DraftApproveView.as_view(), name="draft-approve"),
    path("drafts/<int:pk>/reject/", views.DraftRejectView.as_view(), name="draft-reject"),
    path("<int:pk>/link/", views.IncidentLinkView.as_view(), name="link"),
    path("<int:pk>/unlink/", views.IncidentUnlinkView.as_view(), name="unlink"),
    path("bulk-link/", views.IncidentBulkLinkView.as_view(), name="bulk-link"),
]
