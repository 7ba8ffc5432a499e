"""Request guards shared by every view."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


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
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
