"""The known-problem pages: list, detail, record and edit, link, resolve.

Problems are read from KnownProblem.objects.visible_to(user) and enquiries
from Enquiry.objects.visible_to(user); every write is a service call.
"""

from __future__ import annotations

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
from django.utils.translation import ngettext

from enquiries.filtersets import EnquiryFilterSet
from enquiries.forms import filter_query
from enquiries.models import Enquiry
from nemid_cases.versioning import save_changed_fields
from nemid_cases.views import PermissionView, ServiceFormView, messages_from
from problems import services
from problems.forms import KnownProblemForm, ProblemChoiceForm, ResolveForm
from problems.models import KnownProblem, KnownProblemLink

PAGE_SIZE = 25


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

    def get_form_kwargs(self) -> dict:
        return {"instance": self.instance}

    def get_initial(self) -> dict:
        return {} if self.instance else _initial_from_alert(self.request)

    def get_context_data(self, form: KnownProblemForm) -> dict:
        return {"form": form, "problem": self.instance}

    def perform(self, form: KnownProblemForm) -> KnownProblem:
        if self.instance is not None:
            # Only what this user changed (saved as one versioned edit).
            return save_changed_fields(form)
        problem = form.save(commit=False)
        problem.created_by = self.request.user
        problem.save()
        return problem

    def success_message(self, problem: KnownProblem) -> str:
        return _("Known problem “%(title)s” saved.") % {"title": problem}

    def get_success_url(self, problem: KnownProblem) -> str:
        return reverse("problems:detail", kwargs={"pk": problem.pk})


def _initial_from_alert(request: HttpRequest) -> dict:
    """Prefill from a pattern alert (?alert=<id>) the user may see."""
    alert_id = request.GET.get("alert", "")
    if not alert_id.isdigit():
        return {}
    from analytics.models import PatternAlert

    alert = (
        PatternAlert.objects.visible_to(request.user)
        .filter(pk=alert_id)
        .select_related("topic", "category")
        .first()
    )
    if alert is None:
        return {}
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


class BulkLinkView(PermissionView):
    """Link every enquiry matching the list's filters (the query string)."""

    permission_required = "problems.add_knownproblemlink"

    def post(self, request: HttpRequest) -> HttpResponse:
        query = filter_query(request.GET)
        back = reverse("enquiries:list") + (f"?{query}" if query else "")
        form = ProblemChoiceForm(request.POST)
        filterset = EnquiryFilterSet(
            request.GET, queryset=Enquiry.objects.visible_to(request.user), request=request
        )
        if not query:
            messages.error(request, _("Filter the list before linking it in bulk."))
            return redirect(back)
        if not form.is_valid() or not filterset.is_valid():
            messages.error(request, _("Choose an open known problem and valid filters."))
            return redirect(back)
        problem = form.cleaned_data["problem"]
        try:
            count = services.link_enquiries(problem, filterset.qs, by=request.user)
        except ValidationError as error:
            messages_from(request, error)
            return redirect(back)
        messages.success(
            request,
            ngettext("%(count)d enquiry linked.", "%(count)d enquiries linked.", count)
            % {"count": count},
        )
        return redirect("problems:detail", pk=problem.pk)


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
