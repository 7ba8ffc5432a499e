from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.SatisfactionView.as_view(), name="satisfaction"),
    path("surveys/new/", views.SurveyFormView.as_view(), name="survey-create"),
    path("surveys/<int:pk>/edit/", views.SurveyFormView.as_view(), name="survey-update"),
    path(
        "enquiries/<str:reference>/rating/",
        views.AgentRatingView.as_view(),
        name="agent-rating",
    ),
    path(
        "enquiries/<str:reference>/rating-link/",
        views.RatingInvitationView.as_view(),
        name="rating-invitation",
    ),
    # Public: the citizen's signed link (see CitizenRatingView).
    path("rate/<str:token>/", views.CitizenRatingView.as_view(), name="rate"),
]
