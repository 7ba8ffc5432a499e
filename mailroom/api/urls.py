from rest_framework.routers import SimpleRouter

from mailroom.api.views import InboundMessageViewSet, MailboxViewSet

router = SimpleRouter(trailing_slash=True)
router.register("mailboxes", MailboxViewSet, basename="mailbox")
router.register("inbound-messages", InboundMessageViewSet, basename="inboundmessage")

urlpatterns = router.urls
