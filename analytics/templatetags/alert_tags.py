"""Presentation of pattern alerts: `{% load alert_tags %}`."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

# Below this a p-value is shown as "p < 0,001": more digits say nothing.
SMALLEST_SHOWN = 0.001


@register.filter
def p_value_phrase(value: float | None) -> str:
    """A p-value as a reader takes it, e.g. "p < 0,001: very unlikely to be chance"."""
    if value is None:
        return ""
    if value < SMALLEST_SHOWN:
        return _("p < %(p)s: very unlikely to be chance") % {"p": number_format(SMALLEST_SHOWN, 3)}
    p = number_format(value, 3)
    if value < 0.05:
        return _("p = %(p)s: unlikely to be chance") % {"p": p}
    return _("p = %(p)s: could well be chance") % {"p": p}
