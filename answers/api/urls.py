from rest_framework.routers import SimpleRouter

from answers.api.views import AnswerTemplateViewSet, ReplyViewSet

# SimpleRouter: the enquiries router already serves the API root.
router = SimpleRouter(trailing_slash=True)
router.register("answer-templates", AnswerTemplateViewSet, basename="answertemplate")
router.register(
    r"enquiries/(?P<id_or_reference>[^/]+)/replies", ReplyViewSet, basename="enquiry-reply"
)

urlpatterns = router.urls
