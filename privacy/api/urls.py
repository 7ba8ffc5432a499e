from rest_framework.routers import SimpleRouter

from privacy.api.views import DataRequestCitizenViewSet, DataRequestViewSet

# SimpleRouter: the enquiries router already serves the API root.
router = SimpleRouter(trailing_slash=True)
router.register("data-requests/citizens", DataRequestCitizenViewSet, basename="datarequest-citizen")
router.register("data-requests", DataRequestViewSet, basename="datarequest")

urlpatterns = router.urls
