from rest_framework.routers import SimpleRouter

from notices.api.views import (
    IncidentViewSet,
    PublicationDraftViewSet,
    StandardTextViewSet,
    WebhookSubscriptionViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("incidents", IncidentViewSet, basename="incident")
router.register("standard-texts", StandardTextViewSet, basename="standardtext")
router.register("publication-drafts", PublicationDraftViewSet, basename="publicationdraft")

router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhooksubscription")

urlpatterns = router.urls
