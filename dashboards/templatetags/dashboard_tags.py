"""Formatting a dashboard table's cells in the user's language (30,9 in Danish)."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def cell(value) -> str:
    """A table value for reading: grouped whole numbers, a decimal's own places."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, Decimal):
        places = max(0, -value.as_tuple().exponent)
        return number_format(value, decimal_pos=places, force_grouping=True)
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


@register.filter
def link_at(row, index: int) -> str | None:
    """The drill-down link of the row's cell `index` (the first: the row's)."""
    if index == 0:
        return row.url
    return row.links.get(index)
