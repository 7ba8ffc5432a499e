from rest_framework.routers import SimpleRouter

from feedback.api.views import EnquiryRatingViewSet, SurveyResultViewSet

# SimpleRouter: the enquiries router already serves the API root.
router = SimpleRouter(trailing_slash=True)
router.register("survey-results", SurveyResultViewSet, basename="surveyresult")
router.register("ratings", EnquiryRatingViewSet, basename="enquiryrating")

urlpatterns = router.urls
