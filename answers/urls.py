from django.urls import path

from answers import views

app_name = "answers"

urlpatterns = [
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", views.TemplateCreateView.as_view(), name="template-create"),
    path("templates/<slug:key>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path(
        "templates/<slug:key>/versions/new/",
        views.VersionCreateView.as_view(),
        name="version-create",
    ),
    path("reply/<str:reference>/", views.ReplyView.as_view(), name="reply"),
    path("letters/<int:pk>/", views.LetterView.as_view(), name="letter"),
]
