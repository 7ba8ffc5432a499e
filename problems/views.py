"""The known-problem pages: list, detail, record and edit, link, resolve.

Problems are read from KnownProblem.objects.visible_to(user) and enquiries
from Enquiry.objects.visible_to(user); every write is a service call.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from analytics.periods import moment_window
from enquiries.linking import FilteredBulkLinkView
from enquiries.models import Enquiry
from nemid_cases.versioning import save_changed_fields, save_edit
from problems import services
from problems.forms import KnownProblemForm, ProblemChoiceForm, ResolveForm
from problems.models import BULK_LINK, KnownProblem, KnownProblemLink

PAGE_SIZE = 25
SIX_DAYS = datetime.timedelta(days=6)


class PermissionView(PermissionRequiredMixin, View):
    """A signed-in user without the permission gets 403, not a login loop."""

    raise_exception = True

    def get_problem(self, pk: int) -> KnownProblem:
        return get_object_or_404(KnownProblem.objects.visible_to(self.request.user), pk=pk)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class KnownProblemListView(PermissionView):
    permission_required = "problems.view_knownproblem"

    def get(self, request: HttpRequest) -> HttpResponse:
        problems = (
            KnownProblem.objects.visible_to(request.user)
            .with_counts()
            .select_related("category__topic", "topic")
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


class KnownProblemDetailView(PermissionView):
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


class KnownProblemFormView(PermissionView):
    """Record a known problem (no pk) or edit one."""

    template_name = "problems/problem_form.html"

    def get_permission_required(self):
        if "pk" in self.kwargs:
            return ["problems.change_knownproblem"]
        return ["problems.add_knownproblem"]

    def get_instance(self) -> KnownProblem | None:
        return self.get_problem(self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_instance()
        alert = None if instance else _alert(request, request.GET)
        initial = _initial_from_alert(alert) if alert else {}
        form = KnownProblemForm(instance=instance, initial=initial)
        return render(request, self.template_name, self.context(form, instance, alert))

    def context(self, form, instance, alert) -> dict:
        context = {"form": form, "problem": instance, "alert": alert}
        if alert is not None:
            context["alert_enquiries"] = _alert_enquiries(alert, self.request.user).count()
        return context

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_instance()
        alert = None if instance else _alert(request, request.POST)
        form = KnownProblemForm(request.POST, instance=instance)
        if form.is_valid():
            if instance is None:
                problem = form.save(commit=False)
                try:
                    services.record_known_problem(
                        problem,
                        by=request.user,
                        enquiries=_alert_enquiries(alert, request.user) if alert else None,
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                    problem = None
            else:
                # Only what this user changed, and only if nobody saved first.
                problem = save_edit(form, instance, lambda: save_changed_fields(form))
            if problem is not None:
                messages.success(
                    request, _("Known problem “%(title)s” saved.") % {"title": problem}
                )
                return redirect("problems:detail", pk=problem.pk)
        return render(request, self.template_name, self.context(form, instance, alert))


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
                _errors(request, error)
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


class UnlinkView(PermissionView):
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


class ResolveView(PermissionView):
    """Confirm with the counts, then resolve every linked open enquiry."""

    permission_required = "problems.resolve_knownproblem"
    template_name = "problems/problem_resolve.html"

    def context(self, problem: KnownProblem, form: ResolveForm) -> dict:
        return {"problem": problem, "form": form, "counts": services.resolution_counts(problem)}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = self.get_problem(pk)
        return render(request, self.template_name, self.context(problem, ResolveForm()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = self.get_problem(pk)
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                record = services.resolve_known_problem(
                    problem, by=request.user, resolution=form.cleaned_data["resolution"]
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    target = field if field in form.fields else None
                    for message in field_errors:
                        form.add_error(target, message)
            else:
                messages.success(
                    request,
                    _("%(enquiries)d enquiries resolved; %(emails)d e-mails queued.")
                    % {"enquiries": record.enquiry_count, "emails": record.notified_count},
                )
                return redirect("problems:detail", pk=problem.pk)
        return render(request, self.template_name, self.context(problem, form))
