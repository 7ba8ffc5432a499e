from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/new/", views.ArticleCreateView.as_view(), name="article-create"),
    path("articles/<slug:key>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path(
        "articles/<slug:key>/versions/new/",
        views.VersionCreateView.as_view(),
        name="version-create",
    ),
    path("suggestions/", views.SuggestView.as_view(), name="suggest"),
    path("suggestions/used/", views.UseView.as_view(), name="use"),
    path("gaps/", views.GapsView.as_view(), name="gaps"),
]
