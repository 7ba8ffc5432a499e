from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.middleware import chosen_language
from accounts.models import User
from accounts.roles import Role
from nemid_cases.views import PermissionView

# Where each role's work starts; a user with several roles gets the first.
START_PAGES = [
    (Role.ADMINISTRATOR, "enquiries:list"),
    (Role.SECRETARIAT, "stakeholders:overview"),
    (Role.MANAGER, "dashboards:overview"),
    (Role.TEAM_LEAD, "enquiries:list"),
    (Role.AGENT, "enquiries:list"),
]


class HomeView(PermissionView):
    """Send each user to the page their work starts on."""

    # Any signed-in user: where to go is the answer, not a 403.
    permission_required = ()

    def get(self, request: HttpRequest) -> HttpResponse:
        for role, url_name in START_PAGES:
            if request.user.has_role(role):
                return redirect(url_name)
        # An account nobody has given a role yet: say so, not a 403 or the admin.
        return render(request, "accounts/no_role.html")


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: kept on the user, and in a cookie for the login page."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


class LoginView(auth_views.LoginView):
    """Django's login, keeping the language the person chose while logged out.

    A choice made on the login page becomes the user's own if they have
    none yet; the cookie then follows the user's language, so the login
    page after logging out speaks it too.
    """

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        picked = chosen_language(self.request)
        if not user.language and self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            User.objects.filter(pk=user.pk).update(language=picked)
            user.language = picked
        response = super().form_valid(form)
        if user.language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
