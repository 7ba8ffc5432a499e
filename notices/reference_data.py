"""The standard texts the product itself uses, so it works out of the box.

`load_standard_texts()` (run by `manage.py load_reference_data`) writes
version 1 of each code that has no version yet; a code with any version is
left alone, so the loader is idempotent and never overrides what the
secretariat wrote. Codes here are the ones the code names: problems'
RESOLVED_TEXT_CODE, and the incident texts offered on a fresh install.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from notices.models import StandardText
from notices.services import add_standard_text_version

# (code, kind, Danish, English). {title} is replaced by the known problem's
# title when the resolution is e-mailed.
STANDARD_TEXTS = [
    (
        "known-problem-resolved",
        StandardText.Kind.RESOLUTION,
        "Det kendte problem “{title}”, som din henvendelse handlede om, er nu løst. "
        "Du behøver ikke gøre mere. Venlig hilsen NemID-support",
        "The known problem “{title}” that your enquiry was about is now resolved. "
        "You need not do anything more. Kind regards, NemID support",
    ),
    (
        "incident-investigating",
        StandardText.Kind.INCIDENT,
        "Vi undersøger en fejl, der påvirker NemID. Vi skriver her, så snart vi ved mere.",
        "We are investigating a fault affecting NemID. We will post here as soon as we know more.",
    ),
    (
        "incident-update",
        StandardText.Kind.INCIDENT,
        "Vi arbejder fortsat på at rette fejlen. Vi beklager ulejligheden.",
        "We are still working on fixing the fault. We apologise for the inconvenience.",
    ),
    (
        "incident-resolved",
        StandardText.Kind.INCIDENT,
        "Fejlen er rettet, og NemID virker igen som normalt.",
        "The fault is fixed and NemID works normally again.",
    ),
]


@transaction.atomic
def ensure_standard_text(
    code: str, *, kind: str, text_da: str, text_en: str, valid_from: datetime | None = None
) -> tuple[StandardText, bool]:
    """The newest version of `code`, writing version 1 if there is none (as
    get_or_create: the row, and True if written). Rows of the code are
    locked, so two loaders cannot both write version 1."""
    existing = (
        StandardText.objects.select_for_update().filter(code=code).order_by("-version").first()
    )
    if existing is not None:
        return existing, False
    text = add_standard_text_version(
        code, kind=kind, text_da=text_da, text_en=text_en, valid_from=valid_from
    )
    return text, True


def load_standard_texts() -> int:
    """Version 1 of every text in STANDARD_TEXTS that is missing; how many."""
    return sum(
        ensure_standard_text(code, kind=kind, text_da=da, text_en=en)[1]
        for code, kind, da, en in STANDARD_TEXTS
    )
