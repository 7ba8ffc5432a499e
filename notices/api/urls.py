from rest_framework.routers import SimpleRouter

from notices.api.views import IncidentViewSet, StandardTextViewSet, WebhookSubscriptionViewSet

router = SimpleRouter(trailing_slash=True)
router.register("incidents", IncidentViewSet, basename="incident")
router.register("standard-texts", StandardTextViewSet, basename="standardtext")

router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhooksubscription")

urlpatterns = router.urls
