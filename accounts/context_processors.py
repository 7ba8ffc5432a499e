"""Navigation for the base layout, chosen by the user's permissions."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed), in the order the work flows: the
# enquiries, what they show, the stakeholders' answers, the actions taken.
# Organisations, contacts and working groups sit in the stakeholder pages'
# own navigation, and the actions' views (due soon, by organisation) the
# actions pages' own, so the bar stays one line at 1366 px. A later app adds
# its entries here.
NAVIGATION = [
    (_("Dashboard"), "dashboards:overview", "dashboards.view_dashboard"),
    (_("Enquiries"), "enquiries:list", "enquiries.view_enquiry"),
    (_("Log enquiry"), "enquiries:create", "enquiries.add_enquiry"),
    (_("Citizens"), "enquiries:citizen-list", "enquiries.view_citizen"),
    (_("Deadlines"), "enquiries:breaches", "enquiries.view_breaches"),
    (_("Workload"), "analytics:workload", "enquiries.bulk_triage_enquiry"),
    (_("Pattern alerts"), "analytics:alert-list", "analytics.view_patternalert"),
    (_("Meetings"), "stakeholders:meeting-list", "stakeholders.view_meeting"),
    (_("Recommendations"), "stakeholders:recommendation-list", "stakeholders.view_recommendation"),
    (_("Waiting on others"), "stakeholders:overview", "stakeholders.view_followup"),
    (_("Actions"), "actions:list", "actions.view_action"),
    (_("Satisfaction"), "feedback:satisfaction", "feedback.view_surveyresult"),
    (_("Report"), "reports:user-analysis", "reports.view_report"),
    (_("Data requests"), "privacy:index", "privacy.view_datarequest"),
    (_("Approvals"), "notices:draft-list", "notices.approve_publicationdraft"),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[dict[str, Any]] = []
    for label, url_name, perm in NAVIGATION:
        if not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "current": False})
    # The current page is the entry with the longest matching address, so
    # /enquiries/breaches/ marks "Deadlines" and not "Enquiries" as well.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return {"nav_items": items}
