"""Replies on the enquiry page: `{% replies_panel enquiry %}`."""

from __future__ import annotations

from django import template

from answers.models import Reply

register = template.Library()


@register.inclusion_tag("answers/partials/replies_panel.html", takes_context=True)
def replies_panel(context, enquiry) -> dict:
    """The enquiry's replies with each e-mail's delivery log, and the reply link.

    Two queries: the replies with their mail and template version, and the
    delivery attempts.
    """
    user = context["user"]
    panel = {"enquiry": enquiry, "show": user.has_perm("answers.view_reply")}
    if panel["show"]:
        panel["replies"] = list(Reply.objects.filter(enquiry=enquiry).for_list())
        panel["can_reply"] = user.has_perm("answers.add_reply")
    return panel
