from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from accounts.models import Team
from accounts.roles import Role
from analytics import services
from analytics.forms import ActOnAlertForm, DismissAlertForm
from analytics.models import PatternAlert
from enquiries.assignment import member_workload, team_workload
from enquiries.fields import strip_cpr
from enquiries.people import search_people
from enquiries.services import rebalance_team
from enquiries.sorting import Sorting
from nemid_cases.views import PermissionView, ServiceFormView, messages_from

MEMBERS_PAGE_SIZE = 50
# Sortable columns of the members' table: ?sort=<key>, or -<key>.
MEMBER_COLUMNS = {
    "name": ["first_name", "last_name", "username"],
    "team": ["team__name", "first_name", "last_name"],
    "open": ["open_count"],
    "available": ["is_absent", "is_agent"],
}


def _with_chart(alert: PatternAlert) -> PatternAlert:
    """Attach the chart's data (read by static/js/alert-charts.js)."""
    weeks = alert.evidence.get("weeks", [])
    alert.chart_id = f"alert-{alert.pk}-data"
    alert.chart = {
        "labels": [week["label"] for week in weeks],
        "counts": [week["count"] for week in weeks],
        "baseline": alert.baseline,
        "count_label": _("Count (this week so far in red)"),
        "baseline_label": _("Baseline mean"),
    }
    return alert


class AlertListView(PermissionView, ListView):
    """Pattern alerts with their evidence; open ones by default."""

    permission_required = "analytics.view_patternalert"
    template_name = "analytics/alert_list.html"
    context_object_name = "alerts"
    paginate_by = 25

    def get_status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in PatternAlert.Status.values else PatternAlert.Status.OPEN

    def get_queryset(self) -> QuerySet[PatternAlert]:
        alerts = PatternAlert.objects.visible_to(self.request.user).filter(status=self.get_status())
        # A queue's code, as the dashboard links the alerts of its queue.
        if queue := self.request.GET.get("queue", "").strip():
            alerts = alerts.filter(queue__code=queue)
        return alerts.select_related("queue", "topic", "category", "action", "decided_by")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["alerts"] = [_with_chart(alert) for alert in context["alerts"]]
        context["status"] = self.get_status()
        context["statuses"] = PatternAlert.Status.choices
        return context


class AlertDetailView(PermissionView, DetailView):
    """One alert: the evidence, and the secretariat's decision forms."""

    permission_required = "analytics.view_patternalert"
    template_name = "analytics/alert_detail.html"
    context_object_name = "alert"

    def get_queryset(self) -> QuerySet[PatternAlert]:
        return PatternAlert.objects.visible_to(self.request.user).select_related(
            "queue", "topic", "category", "action", "decided_by"
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        _with_chart(self.object)
        user = self.request.user
        context["may_decide"] = self.object.is_open and user.has_perm(
            "analytics.change_patternalert"
        )
        context["may_act"] = context["may_decide"] and user.has_perm("actions.add_action")
        context.setdefault("dismiss_form", DismissAlertForm(prefix="dismiss"))
        context.setdefault(
            "act_form",
            ActOnAlertForm(
                prefix="act",
                initial={
                    "title": _("Look into the rise in “%(subject)s”")
                    % {"subject": self.object.subject}
                },
            ),
        )
        return context


class AlertDecisionView(ServiceFormView):
    """A decision form on the alert's page, shown there again (400) when refused."""

    http_method_names = ["post"]
    template_name = AlertDetailView.template_name
    invalid_status = 400
    prefix: str

    @cached_property
    def alert(self) -> PatternAlert:
        return get_object_or_404(
            PatternAlert.objects.visible_to(self.request.user).select_related(
                "queue", "topic", "category", "action", "decided_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict:
        return {"prefix": self.prefix}

    def get_context_data(self, form) -> dict:
        alert = self.alert
        view = AlertDetailView(request=self.request, kwargs={"pk": alert.pk}, object=alert)
        return view.get_context_data(object=alert, **{f"{self.prefix}_form": form})


class AlertDismissView(AlertDecisionView):
    permission_required = "analytics.change_patternalert"
    form_class = DismissAlertForm
    prefix = "dismiss"

    def perform(self, form: DismissAlertForm):
        return services.dismiss_alert(
            self.alert, by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def success_message(self, result) -> str:
        return _("The alert is dismissed.")

    def get_success_url(self, result) -> str:
        return reverse("analytics:alert-list")


class AlertActView(AlertDecisionView):
    permission_required = ("analytics.change_patternalert", "actions.add_action")
    form_class = ActOnAlertForm
    prefix = "act"

    def perform(self, form: ActOnAlertForm):
        return services.act_on_alert(self.alert, by=self.request.user, **form.cleaned_data)

    def success_message(self, action) -> str:
        return _("The action “%(title)s” was created from the alert.") % {"title": action}

    def get_success_url(self, action) -> str:
        return reverse("analytics:alert-detail", kwargs={"pk": self.alert.pk})


def teams_for(user) -> QuerySet[Team]:
    """Teams whose work the user may rebalance: those in their scope; all for admins."""
    if user.has_role(Role.ADMINISTRATOR):
        return Team.objects.all()
    return user.scope_teams()


class WorkloadView(PermissionView, TemplateView):
    """The lead's teams with the rebalance button; their members' open work.

    Members are searched, sorted and paged on the server: a team of 270
    agents is one screen at a time.
    """

    permission_required = "enquiries.bulk_triage_enquiry"
    template_name = "analytics/workload.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        teams = teams_for(self.request.user)
        data = self.request.GET.copy()
        query = strip_cpr(data.get("q", ""))[:100]
        if "q" in data:
            data["q"] = query
        sorting = Sorting(data, MEMBER_COLUMNS, default="-open", descending_first=["open"])
        members = search_people(member_workload(teams), query).order_by(
            *sorting.order_by("first_name", "last_name", "pk")
        )
        context["workloads"] = team_workload(teams)
        context["members"] = Paginator(members, MEMBERS_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context["sorting"] = sorting
        context["q"] = query
        return context


class RebalanceView(PermissionView):
    permission_required = "enquiries.bulk_triage_enquiry"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        team = get_object_or_404(teams_for(request.user), pk=pk)
        try:
            moved = rebalance_team(team, by=request.user)
        except ValidationError as error:
            messages_from(request, error)
        else:
            messages.success(
                request,
                _("%(count)s enquiries were reassigned in %(team)s.")
                % {"count": moved, "team": team},
            )
        return redirect("analytics:workload")
