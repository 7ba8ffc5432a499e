"""The known-problem pages: list, detail, record and edit, link, resolve.

Problems are read from KnownProblem.objects.visible_to(user) and enquiries
from Enquiry.objects.visible_to(user); every write is a service call.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from analytics.periods import moment_window
from enquiries.linking import FilteredBulkLinkView
from enquiries.models import Enquiry
from nemid_cases.versioning import save_changed_fields
from nemid_cases.views import PermissionView, ServiceFormView, messages_from
from problems import services
from problems.forms import KnownProblemForm, ProblemChoiceForm, ResolveForm
from problems.models import BULK_LINK, KnownProblem, KnownProblemLink

PAGE_SIZE = 25
SIX_DAYS = datetime.timedelta(days=6)


class ProblemMixin:
    def get_problem(self, pk: int) -> KnownProblem:
        return get_object_or_404(KnownProblem.objects.visible_to(self.request.user), pk=pk)


class KnownProblemListView(PermissionView):
    permission_required = "problems.view_knownproblem"

    def get(self, request: HttpRequest) -> HttpResponse:
        problems = (
            KnownProblem.objects.visible_to(request.user)
            .with_counts()
            .select_related("category__topic", "topic")
            # The counts group the rows, and Django drops Meta.ordering then.
            .order_by("-created_at", "-id")
        )
        status = request.GET.get("status", "open")
        if status in KnownProblem.Status.values:
            problems = problems.filter(status=status)
        page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "problems/problem_list.html",
            {"page": page, "status": status, "statuses": KnownProblem.Status.choices},
        )


def weekly_counts(problem: KnownProblem) -> list[dict]:
    """Enquiries and citizens linked per week, with running totals.

    The citizen total counts each citizen in the week first linked.
    """
    weeks = (
        problem.links.annotate(week=TruncWeek("linked_at"))
        .values("week")
        .annotate(enquiries=Count("id"))
        .order_by("week")
    )
    first_seen = (
        KnownProblemLink.objects.filter(problem=problem, enquiry__citizen__isnull=False)
        .values("enquiry__citizen")
        .annotate(first=TruncWeek("linked_at"))
        .values_list("first", flat=True)
    )
    new_citizens: dict = {}
    for week in first_seen:
        new_citizens[week] = new_citizens.get(week, 0) + 1
    rows, enquiries, citizens = [], 0, 0
    for row in weeks:
        enquiries += row["enquiries"]
        citizens += new_citizens.get(row["week"], 0)
        rows.append({**row, "total_enquiries": enquiries, "total_citizens": citizens})
    return rows


class KnownProblemDetailView(ProblemMixin, PermissionView):
    permission_required = "problems.view_knownproblem"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = self.get_problem(pk)
        problem = (
            KnownProblem.objects.with_counts()
            .select_related("category__topic", "topic", "created_by", "resolved_by")
            .get(pk=problem.pk)
        )
        links = (
            problem.links.filter(enquiry__in=Enquiry.objects.visible_to(request.user).values("pk"))
            .select_related("enquiry__queue", "enquiry__citizen", "linked_by")
            .order_by("-linked_at", "-id")
        )
        page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "problems/problem_detail.html",
            {
                "problem": problem,
                "page": page,
                "weeks": weekly_counts(problem),
                "resolutions": problem.resolutions.select_related("resolved_by"),
                "can_unlink": request.user.has_perm("problems.delete_knownproblemlink"),
                "show_citizen": request.user.has_perm("enquiries.view_citizen"),
            },
        )


class KnownProblemFormView(ProblemMixin, ServiceFormView):
    """Record a known problem (no pk) or edit one."""

    form_class = KnownProblemForm
    template_name = "problems/problem_form.html"

    def get_permission_required(self):
        if "pk" in self.kwargs:
            return ["problems.change_knownproblem"]
        return ["problems.add_knownproblem"]

    @cached_property
    def instance(self) -> KnownProblem | None:
        return self.get_problem(self.kwargs["pk"]) if "pk" in self.kwargs else None

    @cached_property
    def alert(self):
        """The pattern alert proposing a new problem (`alert=<id>`), if any."""
        if self.instance is not None:
            return None
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return _alert(self.request, data)

    def get_form_kwargs(self) -> dict:
        return {"instance": self.instance}

    def get_initial(self) -> dict:
        return _initial_from_alert(self.alert) if self.alert else {}

    def get_context_data(self, form: KnownProblemForm) -> dict:
        context = {"form": form, "problem": self.instance, "alert": self.alert}
        if self.alert is not None:
            context["alert_enquiries"] = _alert_enquiries(self.alert, self.request.user).count()
        return context

    def perform(self, form: KnownProblemForm) -> KnownProblem:
        if self.instance is not None:
            # Only what this user changed (saved as one versioned edit).
            return save_changed_fields(form)
        problem = form.save(commit=False)
        # Proposed by a pattern alert: the enquiries it counted are linked too.
        enquiries = _alert_enquiries(self.alert, self.request.user) if self.alert else None
        services.record_known_problem(problem, by=self.request.user, enquiries=enquiries)
        return problem

    def success_message(self, problem: KnownProblem) -> str:
        return _("Known problem “%(title)s” saved.") % {"title": problem}

    def get_success_url(self, problem: KnownProblem) -> str:
        return reverse("problems:detail", kwargs={"pk": problem.pk})


def _alert(request: HttpRequest, data):
    """The pattern alert (`alert=<id>`) proposing the problem, if the user
    may see it."""
    alert_id = data.get("alert", "")
    if not (alert_id.isascii() and alert_id.isdigit() and len(alert_id) <= 18):
        return None
    from analytics.models import PatternAlert

    return (
        PatternAlert.objects.visible_to(request.user)
        .filter(pk=alert_id)
        .select_related("topic", "category")
        .first()
    )


def _alert_enquiries(alert, user):
    """The enquiries the alert counted: its queue's, of its topic or
    category, received in its week (Copenhagen days), that `user` may see."""
    week = moment_window("received_at", [(alert.week_start, alert.week_start + SIX_DAYS)])
    enquiries = Enquiry.objects.visible_to(user).filter(week, queue_id=alert.queue_id)
    if alert.category_id:
        return enquiries.filter(category_id=alert.category_id)
    return enquiries.filter(topic_id=alert.topic_id)


def _initial_from_alert(alert) -> dict:
    """The form prefilled from a pattern alert."""
    description = _(
        "Pattern alert: %(observed)d enquiries about %(subject)s in week %(week)s "
        "(baseline %(baseline).1f)."
    ) % {
        "observed": alert.observed,
        "subject": alert.subject,
        "week": alert.week_label,
        "baseline": alert.baseline,
    }
    return {
        "title": str(alert.subject)[:200],
        "description": description,
        "topic": alert.topic_id,
        "category": alert.category_id,
    }


class LinkEnquiryView(PermissionView):
    """Link one enquiry (the small form on the enquiry page)."""

    permission_required = "problems.add_knownproblemlink"

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        enquiry = get_object_or_404(
            Enquiry.objects.visible_to(request.user), reference=reference.upper()
        )
        form = ProblemChoiceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an open known problem."))
        else:
            try:
                services.link_enquiries(
                    form.cleaned_data["problem"],
                    Enquiry.objects.filter(pk=enquiry.pk),
                    by=request.user,
                )
            except ValidationError as error:
                messages_from(request, error)
            else:
                messages.success(request, _("Linked to the known problem."))
        return redirect("enquiries:detail", reference=enquiry.reference)


class BulkLinkView(FilteredBulkLinkView):
    """Link every enquiry matching the list's filters (the query string)."""

    # In bulk: those who record problems (team leads, the secretariat);
    # agents link one enquiry at a time from its page (README).
    permission_required = BULK_LINK
    form_class = ProblemChoiceForm
    # The list's panel renders the form with this prefix (bulk_link_panel).
    form_prefix = "link"
    target_field = "problem"

    def link(self, target: KnownProblem, enquiries) -> int:
        return services.link_enquiries(target, enquiries, by=self.request.user)

    def done_url(self, target: KnownProblem) -> str:
        return reverse("problems:detail", kwargs={"pk": target.pk})


class UnlinkView(ProblemMixin, PermissionView):
    permission_required = "problems.delete_knownproblemlink"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = self.get_problem(pk)
        enquiry_id = request.POST.get("enquiry", "")
        if enquiry_id.isdigit():
            services.unlink_enquiries(
                problem, Enquiry.objects.filter(pk=enquiry_id), by=request.user
            )
            messages.success(request, _("The enquiry is no longer linked."))
        return redirect("problems:detail", pk=problem.pk)


class ResolveView(ProblemMixin, ServiceFormView):
    """Confirm with the counts, then resolve every linked open enquiry."""

    permission_required = "problems.resolve_knownproblem"
    form_class = ResolveForm
    template_name = "problems/problem_resolve.html"

    @cached_property
    def problem(self) -> KnownProblem:
        return self.get_problem(self.kwargs["pk"])

    def get_context_data(self, form: ResolveForm) -> dict:
        problem = self.problem
        return {"problem": problem, "form": form, "counts": services.resolution_counts(problem)}

    def perform(self, form: ResolveForm):
        return services.resolve_known_problem(
            self.problem, by=self.request.user, resolution=form.cleaned_data["resolution"]
        )

    def success_message(self, record) -> str:
        return _("%(enquiries)d enquiries resolved; %(emails)d e-mails queued.") % {
            "enquiries": record.enquiry_count,
            "emails": record.notified_count,
        }

    def get_success_url(self, record) -> str:
        return reverse("problems:detail", kwargs={"pk": self.problem.pk})
