from rest_framework.routers import SimpleRouter

from problems.api.views import KnownProblemViewSet

# SimpleRouter: the enquiries router already serves the API root.
router = SimpleRouter(trailing_slash=True)
router.register("known-problems", KnownProblemViewSet, basename="knownproblem")

urlpatterns = router.urls
