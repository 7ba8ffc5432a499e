"""Presentation of actions: status badges and due dates."""

from django import template
from django.utils.html import format_html

from actions.due import Due, format_due
from actions.models import Action

register = template.Library()


@register.filter
def canonical_due(action: Action) -> str:
    """The stored due range as a phrase in the active language."""
    due = Due(action.due_start, action.due_end, action.due_precision, action.is_due_asap)
    return format_due(due)


@register.simple_tag
def status_badge(action: Action) -> str:
    return format_html(
        '<span class="badge badge--{}">{}</span>', action.status, action.get_status_display()
    )
