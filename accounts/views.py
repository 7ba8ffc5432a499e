from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import View

from accounts.roles import Role

# Where each role's work starts; a user with several roles gets the first.
START_PAGES = [
    (Role.ADMINISTRATOR, "enquiries:list"),
    (Role.SECRETARIAT, "stakeholders:overview"),
    (Role.MANAGER, "dashboards:overview"),
    (Role.TEAM_LEAD, "enquiries:list"),
    (Role.AGENT, "enquiries:list"),
]


class HomeView(View):
    """Send each user to the page their work starts on."""

    def get(self, request: HttpRequest) -> HttpResponse:
        for role, url_name in START_PAGES:
            if request.user.has_role(role):
                return redirect(url_name)
        # An account nobody has given a role yet: say so, not a 403 or the admin.
        return render(request, "accounts/no_role.html")


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the process answers and the DB too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
