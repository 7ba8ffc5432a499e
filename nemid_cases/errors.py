"""Error pages: styled HTML in the house layout, JSON under /api/.

Django's handlers render bare templates (and with debug on, the technical
pages that list every URL). These answer a person with the navigation and a
way on, in the user's language, and an API client with `{"detail": ...}`
like every other API error. The 500 and 503 pages use no database: they
must render when the database is what failed. A database that is away is a
503, not a 500: nothing was saved, try again (with the form kept), and an
API client gets an RFC 9457 problem body; both get `Retry-After`.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to see this page."),
    404: lambda: _("The page was not found."),
    405: lambda: _("This page cannot be used that way."),
    500: lambda: _("A server error occurred. It has been logged; please try again."),
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_page(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    """The styled page (or the API's JSON) for an error status."""
    message = message or MESSAGES[status]()
    if is_api(request):
        return JsonResponse({"detail": message}, status=status)
    response = TemplateResponse(
        request,
        f"{status}.html",
        {"status": status, "message": message, "request_path": request.path},
        status=status,
    )
    return response.render()


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: usually a page left open."""
    message = _(
        "The form had expired or came from elsewhere, so it was not sent. "
        "Go back, reload the page and send it again."
    )
    if is_api(request):
        return JsonResponse({"detail": message}, status=403)
    return TemplateResponse(
        request, "403_csrf.html", {"status": 403, "message": message}, status=403
    ).render()


# Connection lost, refused or reset, a server shutting down, a lock or
# serialisation failure: the request can be tried again as it was.
UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, UNAVAILABLE)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the page (form kept) or the API's problem body."""
    retry_after = str(settings.DATABASE_RETRY_AFTER)
    message = _("The database could not be reached, so nothing was saved. Please try again.")
    if is_api(request):
        response: HttpResponse = JsonResponse(
            {
                "type": "about:blank",
                "title": _("Service unavailable"),
                "status": 503,
                "detail": message,
            },
            status=503,
            content_type="application/problem+json",
        )
    else:
        resubmit = request.method == "POST"
        html = loader.get_template("503.html").render(
            {
                "status": 503,
                "message": message,
                "retry_after": retry_after,
                # What the person sent, to send again with one press.
                "resubmit": resubmit,
                "action": request.get_full_path(),
                "fields": [
                    (name, values)
                    for name, values in request.POST.lists()
                    if "password" not in name
                ]
                if resubmit
                else [],
            }
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    # A mark for nemid_cases.outage's middleware, not an HttpResponse field.
    response.database_unavailable = True  # type: ignore[attr-defined]
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """No context processors, no session, no query: only the template.

    Django calls this inside its `except` block, so the exception being
    answered is at hand: a database that is away gets the 503.
    """
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    message = MESSAGES[500]()
    if is_api(request):
        return JsonResponse({"detail": message}, status=500)
    html = loader.get_template("500.html").render({"status": 500, "message": message})
    return HttpResponse(html, status=500)
