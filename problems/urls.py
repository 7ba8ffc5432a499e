from django.urls import path

from problems import views

app_name = "problems"

urlpatterns = [
    path("", views.KnownProblemListView.as_view(), name="list"),
    path("new/", views.KnownProblemFormView.as_view(), name="create"),
    path("bulk-link/", views.BulkLinkView.as_view(), name="bulk-link"),
    path("link/<str:reference>/", views.LinkEnquiryView.as_view(), name="link"),
    path("<int:pk>/", views.KnownProblemDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.KnownProblemFormView.as_view(), name="edit"),
    path("<int:pk>/unlink/", views.UnlinkView.as_view(), name="unlink"),
    path("<int:pk>/resolve/", views.ResolveView.as_view(), name="resolve"),
]
