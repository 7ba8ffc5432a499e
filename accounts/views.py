from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views import View

from accounts.roles import Role


class HomeView(View):
    """Send each user to the page their work starts on."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.has_role(Role.MANAGER) and request.user.has_perm(
            "dashboards.view_dashboard"
        ):
            return redirect("dashboards:overview")
        if request.user.has_perm("enquiries.view_enquiry"):
            return redirect("enquiries:list")
        return redirect("admin:index")


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the process answers and the DB too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
