"""Danish words the code writes whatever the UI language.

The report and the actions' due dates are Danish texts ("1. juli 2010",
"medio januar 2011"), so their month names do not follow the locale.
"""

from __future__ import annotations

# Month 1 at index 0, lower case as Danish writes them inside a sentence.
MONTH_NAMES = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def month_name(month: int) -> str:
    """The Danish name of month 1..12."""
    return MONTH_NAMES[month - 1]
