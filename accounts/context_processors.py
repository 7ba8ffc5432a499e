"""Navigation for the base layout, chosen by the user's permissions."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed); a later app adds its entries here.
NAVIGATION = [
    (_("Dashboard"), "dashboards:overview", "dashboards.view_dashboard"),
    (_("Enquiries"), "enquiries:list", "enquiries.view_enquiry"),
    (_("Log enquiry"), "enquiries:create", "enquiries.add_enquiry"),
    (_("Citizens"), "enquiries:citizen-list", "enquiries.view_citizen"),
    (_("Actions"), "actions:list", "actions.view_action"),
    (_("Follow-up"), "actions:follow-up", "actions.change_action"),
    (_("Pattern alerts"), "analytics:alert-list", "analytics.view_patternalert"),
    (_("Workload"), "analytics:workload", "enquiries.bulk_triage_enquiry"),
    (_("Follow-ups"), "stakeholders:overview", "stakeholders.view_followup"),
    (_("Meetings"), "stakeholders:meeting-list", "stakeholders.view_meeting"),
    (_("Recommendations"), "stakeholders:recommendation-list", "stakeholders.view_recommendation"),
    (_("Organisations"), "stakeholders:organisation-list", "stakeholders.view_organisation"),
    (_("Deadlines"), "enquiries:breaches", "enquiries.view_breaches"),
    (_("Satisfaction"), "feedback:satisfaction", "feedback.view_surveyresult"),
    (_("Report"), "reports:user-analysis", "reports.view_report"),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, perm in NAVIGATION:
        if not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"nav_items": items}
