from django.urls import path
from django.views.generic import RedirectView

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="stakeholders:overview"), name="index"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation-create"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation-update",
    ),
    path("contacts/", views.ContactListView.as_view(), name="contact-list"),
    path("contacts/new/", views.ContactCreateView.as_view(), name="contact-create"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact-update"),
    path("working-groups/", views.WorkingGroupListView.as_view(), name="workinggroup-list"),
    path("working-groups/new/", views.WorkingGroupCreateView.as_view(), name="workinggroup-create"),
    path(
        "working-groups/<int:pk>/",
        views.WorkingGroupDetailView.as_view(),
        name="workinggroup-detail",
    ),
    path(
        "working-groups/<int:pk>/edit/",
        views.WorkingGroupUpdateView.as_view(),
        name="workinggroup-update",
    ),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting-update"),
    path(
        "meetings/<int:pk>/recommendations/new/",
        views.MeetingRecommendationCreateView.as_view(),
        name="meeting-recommendation-create",
    ),
    path(
        "meetings/<int:pk>/attachments/",
        views.AttachmentUploadView.as_view(),
        name="attachment-upload",
    ),
    path(
        "attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path(
        "attachments/<int:pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment-delete",
    ),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation-list"),
    path(
        "recommendations/new/",
        views.RecommendationCreateView.as_view(),
        name="recommendation-create",
    ),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views.RecommendationUpdateView.as_view(),
        name="recommendation-update",
    ),
    path(
        "recommendations/<int:pk>/respond/",
        views.RecommendationRespondView.as_view(),
        name="recommendation-respond",
    ),
    path("follow-ups/", views.FollowUpListView.as_view(), name="followup-list"),
    path("follow-ups/new/", views.FollowUpCreateView.as_view(), name="followup-create"),
    path("follow-ups/<int:pk>/", views.FollowUpDetailView.as_view(), name="followup-detail"),
    path("follow-ups/<int:pk>/edit/", views.FollowUpUpdateView.as_view(), name="followup-update"),
    path(
        "follow-ups/<int:pk>/resolve/",
        views.FollowUpResolveView.as_view(),
        name="followup-resolve",
    ),
    path("follow-ups/<int:pk>/reopen/", views.FollowUpReopenView.as_view(), name="followup-reopen"),
]
