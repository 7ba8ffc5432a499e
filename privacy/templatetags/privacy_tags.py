"""Template filters of the access export."""

import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def moment(value: str | None) -> str:
    """An ISO 8601 moment from the export's data, as the locale writes it."""
    if not value:
        return "—"
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return date_format(parsed, "SHORT_DATETIME_FORMAT")
