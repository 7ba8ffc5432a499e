"""Request guards shared by every view."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from nemid_cases.errors import error_page, is_api


class RejectNulBytesMiddleware:
    """Refuse NUL bytes in query strings and form fields with a 400.

    PostgreSQL cannot store or compare text with NUL; without this a filter
    parameter holding one would surface as a database error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                name = name.replace("\x00", "")
                message = _("The parameter “%(name)s” contains a NUL character.") % {"name": name}
                if request.path.startswith("/api/"):
                    # The API's 400 body: the field and its messages.
                    return JsonResponse({name: [message]}, status=400)
                return error_page(request, 400, message)
        return self.get_response(request)


class StyledErrorsMiddleware:
    """An empty HTML error answer (a 405 from a view, a bare 403) gets its page.

    Django's own handlers cover raised errors (nemid_cases/errors.py); this
    covers error responses a view returns without a body, so a person never
    sees a blank page. The API's errors are DRF's JSON and pass untouched.
    """

    STATUSES = {400, 403, 404, 405}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in self.STATUSES
            and not is_api(request)
            # An htmx fragment must not become a whole page inside its target.
            and not getattr(request, "htmx", False)
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            styled = error_page(request, response.status_code)
            if response.has_header("Allow"):
                styled["Allow"] = response["Allow"]
            return styled
        return response


class SecurityHeadersMiddleware:
    """Headers every dynamic response carries: caching and Permissions-Policy.

    Pages and API answers hold personal data, so none may be kept by a
    browser or proxy: each gets `Cache-Control: no-store` unless its view
    set a Cache-Control of its own (a deliberate, public page). Static
    files never reach this (whitenoise answers them first, cached).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        if self.permissions_policy:
            response.setdefault("Permissions-Policy", self.permissions_policy)
        return response
