"""Danish number and date formats for the report, whatever the UI language.

The report is a Danish document: thousands with a full stop (216.000),
decimals with a comma (30,9%), dates as "1. juli 2010". These do not depend
on the active locale, so the HTML, the PDF and the tests agree.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from nemid_cases.danish import month_name


def da_int(value: int) -> str:
    """216000 -> "216.000"."""
    return f"{value:,}".replace(",", ".")


def da_decimal(value: Decimal | float, places: int = 1) -> str:
    """30.9 -> "30,9"."""
    return f"{value:.{places}f}".replace(".", ",")


def da_share(value: Decimal) -> str:
    """A topic share as the report's tables print it: "30,9%"."""
    return f"{da_decimal(value)}%"


def da_percent(value: Decimal | float) -> str:
    """A survey share as the report's text prints it: "77 %" or "77,5 %"."""
    if Decimal(value) == Decimal(value).to_integral_value():
        return f"{int(value)} %"
    return f"{da_decimal(value)} %"


def da_date(day: datetime.date) -> str:
    """ "1. juli 2010"."""
    return f"{day.day}. {month_name(day.month)} {day.year}"


def da_month(day: datetime.date) -> str:
    """ "november 2010"."""
    return f"{month_name(day.month)} {day.year}"


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def period_phrase(start: datetime.date, end: datetime.date) -> str:
    """The period as the report's sentences name it: "juli-oktober".

    Whole months of one year are named by month only, as the report does
    ("i perioden juli-oktober"); other periods by their dates.
    """
    whole_months = start.day == 1 and end == _month_end(end)
    if whole_months and start.year == end.year:
        first, last = month_name(start.month), month_name(end.month)
        return first if start.month == end.month else f"{first}-{last}"
    if whole_months:
        return f"{da_month(start)}-{da_month(end)}"
    if start == end:
        return da_date(start)
    return f"{da_date(start)}-{da_date(end)}"


def period_label(start: datetime.date, end: datetime.date) -> str:
    """The period in full for titles: "1. juli 2010 - 31. oktober 2010" (an en dash)."""
    if start == end:
        return da_date(start)
    return f"{da_date(start)} – {da_date(end)}"
