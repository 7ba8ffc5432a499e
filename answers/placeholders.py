"""The placeholders an answer template may use, checked when it is published.

A template writes `{citizen_name}`; `{{` and `}}` are literal braces. Only
the names below are allowed, with no format spec, index or attribute, so a
typo is an error when the version is published, not in the citizen's mail,
and a template can never reach into an object.
"""

from __future__ import annotations

import datetime
import string

from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDERS = {
    "citizen_name": gettext_lazy("The citizen's name"),
    "reference": gettext_lazy("The enquiry's reference, e.g. NID-2026-000041"),
    "subject": gettext_lazy("The enquiry's subject"),
    "received_on": gettext_lazy("The day the enquiry was received"),
    "deadline": gettext_lazy("The enquiry's resolution deadline (a date)"),
    "agent_name": gettext_lazy("The name of the member of staff who replies"),
    "today": gettext_lazy("Today's date"),
}


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders in `text` that are not allowed, as written.

    Raises ValueError for a lone brace.
    """
    unknown = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "")
            written += (f":{spec}" if spec else "") + "}"
            if written not in unknown:
                unknown.append(written)
    return unknown


def check_placeholders(**texts: str) -> None:
    """Refuse unknown placeholders and lone braces, keyed by field name."""
    errors: dict[str, list[str]] = {}
    for field, text in texts.items():
        try:
            unknown = unknown_placeholders(text)
        except ValueError:
            errors[field] = [_("A lone { or } is not a placeholder; write {{ or }} for a brace.")]
            continue
        if unknown:
            errors[field] = [
                _("Unknown placeholder %(names)s. Allowed: %(allowed)s.")
                % {
                    "names": ", ".join(unknown),
                    "allowed": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
                }
            ]
    if errors:
        raise ValidationError(errors)


def _day(value: datetime.datetime | datetime.date | None, language: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def values_for(enquiry, *, by, language: str, now: datetime.datetime | None = None) -> dict:
    """The placeholders' values for a reply on `enquiry`, in `language`."""
    citizen = enquiry.citizen
    return {
        "citizen_name": citizen.name if citizen else "",
        "reference": enquiry.reference,
        "subject": enquiry.subject,
        "received_on": _day(enquiry.received_at, language),
        "deadline": _day(enquiry.resolution_due_at, language),
        "agent_name": (by.get_full_name() or by.get_username()) if by else "",
        "today": _day(now or timezone.now(), language),
    }


def fill(text: str, values: dict) -> str:
    """`text` with its placeholders replaced (a checked text never fails)."""
    return text.format_map(values)
