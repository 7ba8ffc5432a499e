"""Known problems on the enquiry pages: `{% known_problems_panel enquiry %}`
on the detail page and `{% bulk_link_panel query %}` on the list."""

from __future__ import annotations

from django import template

from problems.forms import ProblemChoiceForm
from problems.models import KnownProblem

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
    show = bool(query) and user.has_perm("problems.add_knownproblemlink")
    return {
        "show": show,
        "can_view": user.has_perm("problems.view_knownproblem"),
        "query": query,
        "form": ProblemChoiceForm(prefix="link") if show else None,
        "csrf_token": context.get("csrf_token"),
    }
