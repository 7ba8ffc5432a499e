"""Known problems on the enquiry pages: `{% known_problems_panel enquiry %}`
on the detail page and `{% bulk_link_panel query %}` on the list."""

from __future__ import annotations

from django import template
from django.db.models import Count

from problems.forms import ProblemChoiceForm
from problems.models import BULK_LINK, KnownProblem

register = template.Library()


@register.inclusion_tag("problems/partials/enquiry_problems.html", takes_context=True)
def known_problems_panel(context, enquiry) -> dict:
    """The enquiry's known problems and a form to link it to an open one.

    Two queries: the linked problems, and the open ones offered.
    """
    user = context["user"]
    panel = {"enquiry": enquiry, "show": user.has_perm("problems.view_knownproblem")}
    if not panel["show"]:
        return panel
    linked = list(KnownProblem.objects.filter(links__enquiry=enquiry).order_by("title"))
    panel["linked"] = linked
    if user.has_perm("problems.add_knownproblemlink"):
        form = ProblemChoiceForm()
        form.fields["problem"].queryset = (
            KnownProblem.objects.open().exclude(pk__in=[p.pk for p in linked]).order_by("title")
        )
        panel["form"] = form
        panel["csrf_token"] = context.get("csrf_token")
    return panel


@register.inclusion_tag("problems/partials/bulk_link.html", takes_context=True)
def bulk_link_panel(context, query: str) -> dict:
    """Link every enquiry matching the list's filters to an open problem."""
    user = context["user"]
    show = bool(query) and user.has_perms(BULK_LINK)
    return {
        "show": show,
        "can_view": user.has_perm("problems.view_knownproblem"),
        "query": query,
        # Prefixed as BulkLinkView reads it: its ids must not clash with the
        # list's filter form on the same page.
        "form": ProblemChoiceForm(prefix="link") if show else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("problems/partials/dashboard_problems.html", takes_context=True)
def dashboard_problems(context, scope, limit: int = 10) -> dict:
    """Known problems by the enquiries of the dashboard's period and queues.

    One query: per problem, its linked enquiries received in the period in
    the chosen queues, and their distinct citizens; most affected first.
    """
    user = context["user"]
    if not user.has_perm("problems.view_knownproblem"):
        return {"show": False}
    cohort = scope.cohort().values("pk")
    rows = (
        KnownProblem.objects.visible_to(user)
        .filter(links__enquiry__in=cohort)
        .annotate(
            period_enquiries=Count("links__enquiry", distinct=True),
            period_citizens=Count("links__enquiry__citizen", distinct=True),
        )
        .order_by("-period_enquiries", "title", "pk")[:limit]
    )
    return {"show": True, "rows": list(rows), "scope": scope}
