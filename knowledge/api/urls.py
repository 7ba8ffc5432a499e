from rest_framework.routers import SimpleRouter

from knowledge.api.views import ArticleViewSet

# SimpleRouter: the enquiries router already serves the API root.
router = SimpleRouter(trailing_slash=True)
router.register("articles", ArticleViewSet, basename="article")

urlpatterns = router.urls
