"""The two satisfaction surveys the taskforce's report cites.

The data is seed/data/report_surveys.json, keyed on stable codes; like
the other report loaders this one only creates what is missing, so a
result the secretariat has corrected is never overwritten. Organisations
are looked up by the codes that `seed.report.stakeholders` creates (run it
first; `load_report_data` does); one that is missing is left empty.

The report dates neither survey; the file's _about says how the date was
estimated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from feedback.models import SurveyResult
from seed.files import date, read
from stakeholders.models import Organisation

# code: the survey's fields; dates and shares as the file writes them.
SURVEYS: dict[str, dict[str, Any]] = read("report_surveys.json")["surveys"]


@transaction.atomic
def load_survey_results() -> dict[str, int]:
    """Create the report's survey results that are missing. Idempotent.

    Returns {"survey_results": how many were created}.
    """
    codes = {data[key] for data in SURVEYS.values() for key in ("conducted_by", "commissioned_by")}
    organisations = {org.code: org for org in Organisation.objects.filter(code__in=codes)}
    existing = set(SurveyResult.objects.filter(code__in=SURVEYS).values_list("code", flat=True))
    created = 0
    for code, data in SURVEYS.items():
        if code in existing:
            continue
        # No service records survey results (the page and the API save the
        # form or serializer), so the loader creates them directly.
        SurveyResult.objects.create(
            code=code,
            **{
                **data,
                "published_on": date(data["published_on"]),
                "share_satisfied": Decimal(data["share_satisfied"]),
                "conducted_by": organisations.get(data["conducted_by"]),
                "commissioned_by": organisations.get(data["commissioned_by"]),
            },
        )
        created += 1
    return {"survey_results": created}
