"""The team lead's deadline page: what is breaching or about to, sorted and searched."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from enquiries import services
from enquiries.cpr import contains_cpr
from enquiries.fields import PersonField, strip_cpr
from enquiries.models import Enquiry, EnquiryQuerySet
from enquiries.people import assignable_people, unassignable
from enquiries.sla import BusinessCalendar, minutes
from enquiries.sorting import Sorting
from nemid_cases.views import PermissionView

PAGE_SIZE = 50
# Sortable columns of the page: ?sort=<key>, or -<key> for descending.
SORT_COLUMNS = {
    "reference": ["reference"],
    "subject": ["subject"],
    "team": ["team__name"],
    "queue": ["queue__position", "queue__code"],
    "priority": ["priority"],
    "due": ["next_due_at"],
    "escalation": ["escalation_level"],
    "assignee": ["assignee__first_name", "assignee__last_name", "assignee__username"],
}
DEFAULT_SORT = "due"


def at_risk(user: User, now: datetime.datetime) -> EnquiryQuerySet:
    """Open enquiries the user sees that are past, or near, an unmet deadline."""
    cutoff = BusinessCalendar.from_settings().add(now, minutes(settings.SLA_AT_RISK_MINUTES))
    return (
        Enquiry.objects.visible_to(user)
        .due_before(cutoff)
        .with_next_due()
        .select_related("team", "queue", "assignee__team", "category__topic")
    )


def search_breaches(enquiries: EnquiryQuerySet, text: str) -> EnquiryQuerySet:
    """Each word in the reference, subject, team, or the assignee's name."""
    for word in strip_cpr(text).split()[:5]:
        enquiries = enquiries.filter(
            Q(reference__icontains=word)
            | Q(subject__icontains=word)
            | Q(team__name__icontains=word)
            | Q(assignee__first_name__icontains=word)
            | Q(assignee__last_name__icontains=word)
            | Q(assignee__username__icontains=word)
        )
    return enquiries


class ReassignForm(forms.Form):
    """Give the ticked enquiries to one person, all or none."""

    selected = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Enquiries to reassign"),
        queryset=Enquiry.objects.none(),
        error_messages={"required": gettext_lazy("Tick the enquiries to reassign.")},
    )
    assignee = PersonField(label=gettext_lazy("Assign the ticked enquiries to"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = Enquiry.objects.visible_to(user).select_related("queue")
        self.fields["assignee"].queryset = assignable_people(user)

    @property
    def selected_ids(self) -> set[str]:
        """The ticked rows, kept when the page re-renders."""
        return set(self.data.getlist("selected")) if self.is_bound else set()

    def clean(self):
        data = super().clean()
        assignee, selected = data.get("assignee"), data.get("selected")
        if assignee and selected:
            for message in unassignable(assignee, selected):
                self.add_error("assignee", message)
        return data

    def save(self, *, by: User) -> list[Enquiry] | None:
        """Reassign every ticked enquiry in one transaction; None if one refuses."""
        enquiries = sorted(self.cleaned_data["selected"], key=lambda e: e.reference)
        batch = uuid.uuid4()
        try:
            with transaction.atomic():
                for enquiry in enquiries:
                    services.update_enquiry(
                        enquiry,
                        by=by,
                        changes={"assignee": self.cleaned_data["assignee"]},
                        batch=batch,
                    )
        except ValidationError as error:
            for message in error.message_dict.get("assignee", error.messages):
                self.add_error("assignee", message)
            return None
        return enquiries


def _this_page(request: HttpRequest) -> str:
    """This page's address with its search, sort and page, never a CPR number."""
    data = request.GET.copy()
    if "q" in data:
        data["q"] = strip_cpr(data["q"])[:100]
    return f"{request.path}?{data.urlencode()}" if data else request.path


class BreachListView(PermissionView):
    """Team leads see their team's, administrators all, managers read only.

    Sorted, searched and paged on the server; reassigning (a POST) needs the
    right to change enquiries and goes through services.update_enquiry.
    """

    permission_required = "enquiries.view_breaches"
    template_name = "enquiries/breaches.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if contains_cpr(request.GET.get("q", "")):
            # Typed past the page's own guard: never search, echo or keep it.
            messages.warning(
                request,
                _("CPR numbers are never searched here, so they cannot end up in a web address."),
            )
            return redirect(_this_page(request))
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("enquiries.change_enquiry"):
            raise PermissionDenied
        form = ReassignForm(request.POST, user=request.user)
        if form.is_valid() and (done := form.save(by=request.user)) is not None:
            user = form.cleaned_data["assignee"]
            if len(done) == 1:
                text = _("%(reference)s is now assigned to %(user)s.") % {
                    "reference": done[0].reference,
                    "user": user,
                }
            else:
                text = ngettext(
                    "%(count)d enquiry is now assigned to %(user)s.",
                    "%(count)d enquiries are now assigned to %(user)s.",
                    len(done),
                ) % {"count": len(done), "user": user}
            messages.success(request, text)
            return redirect(_this_page(request))
        return self.render_page(request, form=form, status=400)

    def render_page(
        self, request: HttpRequest, *, form: ReassignForm | None = None, status: int = 200
    ) -> HttpResponse:
        now = timezone.now()
        data = request.GET.copy()
        query = strip_cpr(data.get("q", ""))[:100]
        if "q" in data:
            data["q"] = query
        sorting = Sorting(data, SORT_COLUMNS, default=DEFAULT_SORT, descending_first=["priority"])
        rows = search_breaches(at_risk(request.user, now), query).order_by(
            *sorting.order_by("next_due_at", "pk")
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        can_reassign = request.user.has_perm("enquiries.change_enquiry")
        if can_reassign and form is None:
            form = ReassignForm(user=request.user)
        context = {
            "here": _this_page(request),
            "page_obj": page,
            "rows": list(page.object_list),
            "now": now,
            "q": query,
            "sorting": sorting,
            "can_reassign": can_reassign,
            "form": form,
            "at_risk_minutes": settings.SLA_AT_RISK_MINUTES,
        }
        return render(request, self.template_name, context, status=status)
