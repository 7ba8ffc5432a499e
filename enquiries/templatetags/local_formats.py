"""Dates the way the page's language writes them: `{% load local_formats %}`.

`{{ text|local_dates }}` rewrites ISO dates (and date-times) inside stored
text, such as timeline lines written before they were localized, in the
language's short format: 2010-11-09 14:05 reads 09.11.2010 14:05 in Danish.
The API keeps ISO; only pages use this.
"""

import datetime
import re

from django import template
from django.utils.formats import date_format

register = template.Library()

ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?(?![\d-])")


def _local(match: re.Match) -> str:
    year, month, day, hour, minute = match.groups()
    try:
        day_ = datetime.date(int(year), int(month), int(day))
        if hour is None:
            return date_format(day_, "SHORT_DATE_FORMAT")
        moment = datetime.datetime.combine(day_, datetime.time(int(hour), int(minute)))
    except ValueError:
        return match.group(0)
    return date_format(moment, "SHORT_DATETIME_FORMAT")


@register.filter(is_safe=True)
def local_dates(text) -> str:
    """The text with every ISO date in the active language's short format."""
    if not text:
        return text
    return ISO_DATE.sub(_local, str(text))
