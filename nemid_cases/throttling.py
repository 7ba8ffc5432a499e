"""API throttles: per user (or token), per anonymous address, failed tokens.

Rates come from settings.API_THROTTLE_RATES on every request (DRF reads its
own rates once, at import), so a deployment tunes them by environment and
the tests switch them off. The counters live in the default cache: per
process with the local-memory default, shared with CACHE_URL (Redis);
when that cache fails the limits are passed by, not the request
(nemid_cases.caching). An answer over a rate is 429 with `Retry-After`.
"""

from typing import Any

from django.conf import settings
from django.utils import translation
from rest_framework import authentication, exceptions, throttling

from accounts.middleware import user_language
from nemid_cases import caching

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class SettingsRateMixin:
    # In place of DRF's `cache` (the default cache): the same get and set.
    cache: Any = caching.passed_by

    def get_rate(self):
        rate = settings.API_THROTTLE_RATES.get(self.scope)
        return None if not rate or rate.lower() == "none" else rate


class AnonRateThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    """Requests without credentials, per address."""

    scope = "anon"


class UserRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    """Everything a user (or their token) asks, sustained."""

    scope = "user"

    def get_cache_key(self, request, view):
        # Anonymous requests are AnonRateThrottle's.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class UserBurstRateThrottle(UserRateThrottle):
    """The same per second: a runaway script, not a person or a phone system."""

    scope = "user_burst"


class WriteRateThrottle(UserRateThrottle):
    """Writes per user; a bulk import should use its own, higher-rated token."""

    scope = "writes"

    def allow_request(self, request, view):
        if request.method not in WRITE_METHODS:
            return True
        return super().allow_request(request, view)


class BadTokenThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Failed token logins, per address (counted only when a token fails)."""

    scope = "bad_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; a failing address is slowed down.

    Authentication runs before DRF checks throttles, so a bad token would
    always get a plain 401; here each failure is counted per address and,
    past the `bad_token` rate, answered 429 with `Retry-After`. A token's
    user gets their language, as a session's does in UserLanguageMiddleware
    (which runs before DRF knows the token's user).
    """

    def authenticate(self, request):
        try:
            authenticated = super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle = BadTokenThrottle()
            if not throttle.allow_request(request, None):
                raise exceptions.Throttled(wait=throttle.wait()) from None
            raise
        if authenticated is not None:
            translation.activate(user_language(authenticated[0]))
        return authenticated
