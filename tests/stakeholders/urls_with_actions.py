"""The project's URLs plus stand-ins for the actions app's pages, if missing.

The stakeholder pages link to `actions:create` and `actions:detail` only
when those exist; this urlconf lets a test see the links on a branch where
the actions pages are not there yet.
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from nemid_cases.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)

try:
    reverse("actions:create", urlconf="nemid_cases.urls")
except NoReverseMatch:

    def _stand_in(request, **kwargs):
        return HttpResponse("actions stand-in")

    urlpatterns.append(
        path(
            "actions/",
            include(
                (
                    [
                        path("new/", _stand_in, name="create"),
                        path("<int:pk>/", _stand_in, name="detail"),
                    ],
                    "actions",
                )
            ),
        )
    )
