from rest_framework.routers import SimpleRouter

from mailroom.api.views import MailboxViewSet

router = SimpleRouter(trailing_slash=True)
router.register("mailboxes", MailboxViewSet, basename="mailbox")

urlpatterns = router.urls
