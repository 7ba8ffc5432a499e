from django import template
from django.utils.safestring import mark_safe

from mailroom.parsing import sanitise_html

register = template.Library()


@register.filter
def mail_html(value: str) -> str:
    """Stored HTML is sanitised on intake; sanitised again on the way out."""
    return mark_safe(sanitise_html(value or ""))  # noqa: S308 - nh3 output
