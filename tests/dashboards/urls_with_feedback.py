"""The project's URLs plus a stand-in for the satisfaction page, if missing.

The dashboard links its satisfaction figures to `feedback:satisfaction`
only when that page exists (it is built on another branch).
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from nemid_cases.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)

try:
    reverse("feedback:satisfaction", urlconf="nemid_cases.urls")
except NoReverseMatch:

    def _stand_in(request):
        return HttpResponse("satisfaction stand-in")

    urlpatterns.append(
        path(
            "feedback/",
            include(([path("", _stand_in, name="satisfaction")], "feedback")),
        )
    )
