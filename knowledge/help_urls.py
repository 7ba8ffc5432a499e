"""The public help area: /help/ (see knowledge/help_views.py)."""

from django.urls import path

from knowledge import help_views

app_name = "help"

urlpatterns = [
    path("", help_views.HelpIndexView.as_view(), name="index"),
    path("<slug:key>/", help_views.HelpArticleView.as_view(), name="article"),
]
