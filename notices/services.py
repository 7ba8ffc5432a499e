"""Every change to outage notices: standard text versions, incidents and
their public updates."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from notices.models import StandardText


@transaction.atomic
def add_standard_text_version(
    code: str,
    *,
    text_da: str,
    text_en: str,
    kind: str = StandardText.Kind.INCIDENT,
    valid_from: datetime | None = None,
    by=None,
) -> StandardText:
    """Add the next version of the standard text `code`.

    Earlier versions stay as they were: what was published with them keeps
    its wording. Rows of the code are locked so two editors cannot take the
    same version number.
    """
    list(StandardText.objects.select_for_update().filter(code=code).values_list("pk"))
    latest = StandardText.objects.filter(code=code).aggregate(n=Max("version"))["n"] or 0
    return StandardText.objects.create(
        code=code,
        kind=kind,
        version=latest + 1,
        text_da=text_da,
        text_en=text_en,
        valid_from=valid_from or timezone.now(),
        created_by=by if by is not None and by.is_authenticated else None,
    )
