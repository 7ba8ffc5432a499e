from rest_framework.routers import SimpleRouter

from actions.api.views import ActionViewSet, ThemeViewSet

# SimpleRouter: the enquiries router already serves the API root.
router = SimpleRouter(trailing_slash=True)
router.register("actions", ActionViewSet, basename="action")
router.register("themes", ThemeViewSet, basename="theme")

urlpatterns = router.urls
