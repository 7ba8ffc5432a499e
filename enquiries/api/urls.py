"""Routes of /api/v1/ for enquiries, the taxonomy and citizens."""

from rest_framework.routers import DefaultRouter

from enquiries.api import views


class Router(DefaultRouter):
    # No `.json` suffix routes: a lookup value may contain a dot.
    include_format_suffixes = False


router = Router(trailing_slash=True)
router.register("enquiries", views.EnquiryViewSet, basename="enquiry")
router.register("queues", views.QueueViewSet, basename="queue")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("citizens", views.CitizenViewSet, basename="citizen")
router.register("people", views.PersonViewSet, basename="person")

urlpatterns = router.urls
