"""Login lock-out with django-axes: per user name and per address.

Axes compares one failure count with one limit (AXES_FAILURE_LIMIT). A call
centre may put hundreds of agents behind one address, so the address gets a
higher limit of its own: its failures are scaled to the user limit before
the larger of the two is compared.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutHandler(AxesDatabaseHandler):
    """AxesDatabaseHandler with LOGIN_ADDRESS_FAILURE_LIMIT for addresses.

    Relies on AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]: one
    query set of attempts per parameter, in that order.
    """

    def get_failures(self, request, credentials=None) -> int:
        by_user, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_user, scaled)


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The lock-out page (429): what happened, for how long, who can unlock."""
    cool_off = get_cool_off(request)
    context = {"lockout_minutes": int(cool_off.total_seconds() // 60) if cool_off else None}
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
