"""The UI language: Danish for everyone unless the person chose otherwise."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def supported(language: str | None) -> str:
    """The language if the site has it, else the site's (Danish)."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def user_language(user) -> str:
    """A logged-in user's language: their own choice, else the site's."""
    return supported(user.language)


def chosen_language(request: HttpRequest) -> str:
    """The user's own choice; logged out, the switch's cookie; else the default.

    The browser's Accept-Language is deliberately ignored: an English browser
    on a Danish desk must still get Danish (issue 9, fault 7).
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user_language(user)
    return supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


class UserLanguageMiddleware:
    """Activates chosen_language() for the request (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.setdefault("Content-Language", translation.get_language())
        return response
