"""The rating panel on the enquiry detail page: `{% rating_panel enquiry %}`."""

from __future__ import annotations

from django import template
from django.conf import settings

from enquiries.models import Notification
from feedback import services
from feedback.forms import RatingForm
from feedback.models import EnquiryRating

register = template.Library()


@register.inclusion_tag("feedback/partials/enquiry_rating.html", takes_context=True)
def rating_panel(context, enquiry) -> dict:
    """The enquiry's rating, or the agent's form and the citizen's link.

    Shown to users who may see ratings; the form only to those who may
    record them, and only once the enquiry is resolved or closed. At most
    two queries (the rating, and the invitation when one could be sent).
    """
    user = context["user"]
    panel = {"enquiry": enquiry, "show": user.has_perm("feedback.view_enquiryrating")}
    if not panel["show"]:
        return panel
    rating = EnquiryRating.objects.filter(enquiry=enquiry).select_related("recorded_by").first()
    can_rate = (
        rating is None and not enquiry.is_open and user.has_perm("feedback.add_enquiryrating")
    )
    panel.update(
        {
            "rating": rating,
            "can_rate": can_rate,
            "csrf_token": context.get("csrf_token"),
            "is_open": enquiry.is_open,
        }
    )
    if can_rate:
        citizen = enquiry.citizen if enquiry.citizen_id else None
        panel["form"] = context.get("rating_form") or RatingForm()
        panel["link"] = services.rating_link(enquiry)
        panel["days"] = settings.FEEDBACK_RATING_LINK_MAX_AGE_DAYS
        panel["email"] = citizen.email if citizen else ""
        if panel["email"]:
            panel["invitation"] = Notification.objects.filter(
                key=services.invitation_key(enquiry)
            ).first()
    return panel
