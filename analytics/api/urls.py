from django.urls import path

from analytics.api.views import TopicShareView

urlpatterns = [
    path("topic-shares/", TopicShareView.as_view(), name="topic-share-list"),
]
