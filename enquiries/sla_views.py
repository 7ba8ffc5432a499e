"""The team lead's deadline page: what is breaching or about to, by team."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.models import User
from accounts.roles import Role
from enquiries import services
from enquiries.models import Enquiry, EnquiryQuerySet
from enquiries.sla import BusinessCalendar, minutes

PAGE_SIZE = 100


def at_risk(user: User, now: datetime.datetime) -> EnquiryQuerySet:
    """Open enquiries the user sees that are past, or near, an unmet deadline."""
    cutoff = BusinessCalendar.from_settings().add(now, minutes(settings.SLA_AT_RISK_MINUTES))
    return (
        Enquiry.objects.visible_to(user)
        .due_before(cutoff)
        .with_next_due()
        .select_related("team", "queue", "assignee", "category__topic")
        .order_by(F("team__name").asc(nulls_last=True), "next_due_at", "pk")
    )


def assignable(team_ids: set[int]) -> dict[int, list[User]]:
    """Active agents and team leads of each team, in one query."""
    users = (
        User.objects.filter(
            team_id__in=team_ids,
            is_active=True,
            groups__name__in=[Role.AGENT, Role.TEAM_LEAD],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    by_team: dict[int, list[User]] = {}
    for user in users:
        by_team.setdefault(user.team_id, []).append(user)
    return by_team


class ReassignForm(forms.Form):
    enquiry = forms.ModelChoiceField(queryset=Enquiry.objects.none(), widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"), queryset=User.objects.filter(is_active=True)
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enquiry"].queryset = Enquiry.objects.visible_to(user)

    def clean(self):
        data = super().clean()
        enquiry, assignee = data.get("enquiry"), data.get("assignee")
        if enquiry and assignee and enquiry.team_id and assignee.team_id != enquiry.team_id:
            self.add_error(
                "assignee",
                _("%(user)s is not in the team %(team)s.")
                % {"user": assignee, "team": enquiry.team},
            )
        return data


class BreachListView(PermissionRequiredMixin, View):
    """Team leads see their team's, administrators all, managers read only.

    Reassigning (a POST) needs the right to change enquiries and goes
    through services.update_enquiry.
    """

    permission_required = "enquiries.view_breaches"
    template_name = "enquiries/breaches.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("enquiries.change_enquiry"):
            raise PermissionDenied
        form = ReassignForm(request.POST, user=request.user)
        if form.is_valid():
            enquiry = form.cleaned_data["enquiry"]
            try:
                services.update_enquiry(
                    enquiry,
                    by=request.user,
                    changes={"assignee": form.cleaned_data["assignee"]},
                )
            except ValidationError as error:
                for message in error.message_dict.get("assignee", error.messages):
                    form.add_error("assignee", message)
            else:
                messages.success(
                    request,
                    _("%(reference)s is now assigned to %(user)s.")
                    % {"reference": enquiry.reference, "user": form.cleaned_data["assignee"]},
                )
                return redirect(request.get_full_path())
        return self.render_page(request, failed=form, status=400)

    def render_page(
        self, request: HttpRequest, *, failed: ReassignForm | None = None, status: int = 200
    ) -> HttpResponse:
        now = timezone.now()
        page = Paginator(at_risk(request.user, now), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        can_reassign = request.user.has_perm("enquiries.change_enquiry")
        candidates = assignable({e.team_id for e in rows if e.team_id}) if can_reassign else {}
        failed_pk = None
        if failed is not None:
            failed_pk = failed.data.get("enquiry")
        for enquiry in rows:
            enquiry.candidates = candidates.get(enquiry.team_id, [])
            enquiry.errors = (
                failed.errors.get("assignee", []) or failed.non_field_errors()
                if failed is not None and str(enquiry.pk) == failed_pk
                else []
            )
        context = {
            "page_obj": page,
            "rows": rows,
            "now": now,
            "can_reassign": can_reassign,
            "failed": failed,
            "at_risk_minutes": settings.SLA_AT_RISK_MINUTES,
        }
        return render(request, self.template_name, context, status=status)
