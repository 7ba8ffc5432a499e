"""How one value is written to a Danish CSV or XLSX cell.

The cell's type comes from the Python value: `int` and `Decimal` are
numbers (a Decimal keeps its own number of places), `date` and `datetime`
are dates, everything else is text. Dates are written `dd-mm-yyyy` and
moments `dd-mm-yyyy HH:MM` in Copenhagen time, in both formats; CSV numbers
have a decimal comma and no thousands separator. Text that a spreadsheet
could read as a formula is prefixed with an apostrophe; numbers never are,
so a negative number stays a number.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analytics.periods import REPORTING_TZ

# A spreadsheet starts a formula (or a DDE call) with these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_DATE = "%d-%m-%Y"
CSV_DATETIME = "%d-%m-%Y %H:%M"
XLSX_DATE = "dd-mm-yyyy"
XLSX_DATETIME = "dd-mm-yyyy hh:mm"
XLSX_INTEGER = "#,##0"


def neutralise(text: str) -> str:
    """Text that cannot run as a formula: a leading apostrophe if needed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_naive(moment: datetime.datetime) -> datetime.datetime:
    """The moment in Copenhagen time without a zone (spreadsheets have none)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(REPORTING_TZ)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def as_text(value: Any, *, xlsx: bool = False) -> str:
    """Text for a value that is not a number or a date (labels, booleans).

    XLSX cannot hold most control characters; they are dropped before the
    formula check, so they cannot hide a leading `=`.
    """
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    text = str(value)
    if xlsx:
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return neutralise(text)


def _csv_decimal(value: Decimal) -> str:
    return f"{value:f}".replace(".", ",")


def _csv_float(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _csv_datetime(value: datetime.datetime) -> str:
    return local_naive(value).strftime(CSV_DATETIME)


def _csv_date(value: datetime.date) -> str:
    return value.strftime(CSV_DATE)


# By exact type: one look-up per cell instead of a chain of isinstance.
_CSV = {
    type(None): lambda value: "",
    int: str,
    Decimal: _csv_decimal,
    float: _csv_float,
    datetime.datetime: _csv_datetime,
    datetime.date: _csv_date,
    str: neutralise,
}


def csv_value(value: Any) -> str:
    """The value as Danish CSV text."""
    write = _CSV.get(type(value))
    return write(value) if write is not None else as_text(value)


def xlsx_value(value: Any) -> tuple[Any, str | None, str]:
    """(cell value, number format or None, openpyxl data type) for a value."""
    if value is None:
        return None, None, "n"
    if isinstance(value, bool):
        return as_text(value, xlsx=True), None, "s"
    if isinstance(value, int):
        return value, XLSX_INTEGER, "n"
    if isinstance(value, Decimal):
        places = max(0, -value.as_tuple().exponent)
        number_format = "0." + "0" * places if places else XLSX_INTEGER
        return float(value), number_format, "n"
    if isinstance(value, float):
        return value, "0.0", "n"
    if isinstance(value, datetime.datetime):
        return local_naive(value), XLSX_DATETIME, "d"
    if isinstance(value, datetime.date):
        return value, XLSX_DATE, "d"
    return as_text(value, xlsx=True), None, "s"
