from rest_framework.routers import SimpleRouter

from analytics.api.views import TopicShareViewSet

router = SimpleRouter(trailing_slash=True)
router.register("topic-shares", TopicShareViewSet, basename="topic-share")

urlpatterns = router.urls
