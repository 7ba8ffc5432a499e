"""Enquiries linked to incidents: `{% incident_links_panel incident %}` on
the incident's page, `{% enquiry_incidents_panel enquiry %}` on the
enquiry's and `{% incident_bulk_link_panel query %}` on the enquiry list.
Each takes a fixed number of queries."""

from __future__ import annotations

from django import template
from django.core.paginator import Paginator
from django.utils import timezone

from enquiries.models import Enquiry
from notices.forms import IncidentChoiceForm
from notices.models import Incident, IncidentLink
from notices.service_map import suggested_enquiries

register = template.Library()

PAGE_SIZE = 25
# Suggestions shown with a tick box each; "link all" takes every one.
SUGGESTIONS_SHOWN = 50


@register.inclusion_tag("notices/partials/incident_links.html", takes_context=True)
def incident_links_panel(context, incident: Incident) -> dict:
    """The incident's linked enquiries (a page) and its suggestions.

    Four queries: the count and page of links, the count and first rows of
    the suggestions.
    """
    request, user = context["request"], context["user"]
    panel = {"incident": incident, "show": user.has_perm("notices.view_incidentlink")}
    if not panel["show"]:
        return panel
    visible = Enquiry.objects.visible_to(user).values("pk")
    links = (
        incident.links.filter(enquiry__in=visible)
        .select_related("enquiry__queue", "enquiry__category", "linked_by")
        .order_by("-linked_at", "-id")
    )
    panel["page"] = Paginator(links, PAGE_SIZE).get_page(request.GET.get("links_page"))
    panel["can_unlink"] = user.has_perm("notices.delete_incidentlink")
    if user.has_perm("notices.add_incidentlink"):
        suggested = suggested_enquiries(incident, user, now=timezone.now())
        panel["suggested_count"] = suggested.count()
        panel["suggested"] = list(
            suggested.select_related("queue", "category").order_by("received_at", "id")[
                :SUGGESTIONS_SHOWN
            ]
        )
        panel["csrf_token"] = context.get("csrf_token")
    return panel


@register.inclusion_tag("notices/partials/enquiry_incidents.html", takes_context=True)
def enquiry_incidents_panel(context, enquiry: Enquiry) -> dict:
    """The incidents the enquiry is linked to (one query)."""
    user = context["user"]
    if not user.has_perm("notices.view_incidentlink"):
        return {"show": False}
    links = (
        IncidentLink.objects.filter(enquiry=enquiry)
        .select_related("incident")
        .order_by("-incident__started_at", "-id")
    )
    return {"show": True, "links": list(links), "enquiry": enquiry}


@register.inclusion_tag("notices/partials/bulk_link.html", takes_context=True)
def incident_bulk_link_panel(context, query: str) -> dict:
    """Link every enquiry matching the list's filters to a recent incident."""
    user = context["user"]
    show = bool(query) and user.has_perm("notices.add_incidentlink")
    return {
        "show": show,
        "query": query,
        "form": IncidentChoiceForm(prefix="incident") if show else None,
        "csrf_token": context.get("csrf_token"),
    }
