from rest_framework.routers import SimpleRouter

from stakeholders.api import views

router = SimpleRouter(trailing_slash=True)
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("working-groups", views.WorkingGroupViewSet, basename="workinggroup")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("follow-ups", views.FollowUpViewSet, basename="followup")

urlpatterns = router.urls
