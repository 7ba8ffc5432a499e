"""The two satisfaction surveys the taskforce's report cites.

Keyed on stable codes; like the other report loaders this one only creates
what is missing, so a result the secretariat has corrected is never
overwritten. Organisations are looked up by the codes that
`stakeholders.report_data` creates (run it first; `load_report_data` does);
one that is missing is left empty.

The report dates neither survey. It calls them current ("aktuelle") and
sets them beside the taskforce's own analysis of November 2010, and the
report itself is from early January 2011 (it counts users "pr. 3. januar
2011"). Both are therefore dated 30 November 2010 and marked as estimates.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from feedback.models import SurveyResult
from stakeholders.models import Organisation

ESTIMATED_DATE_NOTE = (
    "Redegørelsen angiver ikke undersøgelsens dato. Den omtales blandt ”andre "
    "aktuelle undersøgelser” sideløbende med taskforcens brugerundersøgelse i "
    "november 2010, og redegørelsen selv er fra begyndelsen af januar 2011; "
    "datoen 30. november 2010 er derfor et skøn."
)

SURVEYS: dict[str, dict[str, Any]] = {
    "ab-analyse-kommunen-2010": {
        "source": "A&B Analyse for avisen ”kommunen”",
        "conducted_by": "ab-analyse",
        "commissioned_by": "kommunen",
        "published_on": datetime.date(2010, 11, 30),
        "is_date_estimated": True,
        "respondents": 1426,
        "base": None,
        "share_satisfied": Decimal("77.0"),
        "share_basis": "Respondenter, der har tilmeldt sig NemID",
        "notes": (
            "Undersøgelse af befolkningens holdning til NemID blandt 1.426 "
            "respondenter, der udgør et repræsentativt udsnit af befolkningen. "
            "Blandt respondenter, der har tilmeldt sig NemID, er 77 % tilfredse; "
            "hvor mange af respondenterne der har tilmeldt sig, oplyser "
            "redegørelsen ikke. " + ESTIMATED_DATE_NOTE
        ),
    },
    "m3-mec-danid-2010": {
        "source": "Analyseinstituttet M3 i samarbejde med MEC for DanID",
        "conducted_by": "m3",
        "commissioned_by": "danid",
        "published_on": datetime.date(2010, 11, 30),
        "is_date_estimated": True,
        "respondents": 1500,
        "base": 713,
        "share_satisfied": Decimal("81.0"),
        "share_basis": "Respondenter med NemID, der har taget stilling (positiv/negativ)",
        "notes": (
            "Repræsentativ undersøgelse blandt 1.500 respondenter, hvoraf 713 har "
            "NemID. Blandt de, der har NemID, og har taget stilling "
            "(positiv/negativ), er fire ud af fem (81 procent) positive; hvor "
            "mange af de 713 der har taget stilling, oplyser redegørelsen ikke. "
            "Analysen er udført i samarbejde med MEC. " + ESTIMATED_DATE_NOTE
        ),
    },
}


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
        SurveyResult.objects.create(
            code=code,
            **{
                **data,
                "conducted_by": organisations.get(data["conducted_by"]),
                "commissioned_by": organisations.get(data["commissioned_by"]),
            },
        )
        created += 1
    return {"survey_results": created}
