"""Known problems on the enquiry pages: `{% known_problems_panel enquiry %}`
on the detail page and `{% bulk_link_panel query %}` on the list."""

from __future__ import annotations

from django import template

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
def dashboard_problems(context, rows: list[KnownProblem]) -> dict:
    """Known problems by the enquiries of the dashboard's period and queues.

    `rows` are the dashboard's (problems.reports.most_linked), read with
    its other figures.
    """
    return {"show": context["user"].has_perm("problems.view_knownproblem"), "rows": rows}
