"""The actions the taskforce's report names, with owners, due dates and KPIs.

The data is seed/data/report_actions.json. Themes and actions are keyed on
stable codes; owners, recommendations and meetings on the codes of
seed/data/report_stakeholders.json, which
`seed.report.stakeholders.load_stakeholder_data()` creates (run it first;
`manage.py load_report_data` runs both in one transaction). Enquiry topics
are (queue code, topic code) pairs of seed/data/taxonomy.json.

Like the stakeholder loader, this one only creates what is missing: an
action that exists is left as the secretariat has changed it. Actions are
created through the services, so each starts its timeline; KPIs and their
readings too (themes have no service and are created directly). Due phrases are
the report's own words, read as if on the day the taskforce ended its work
(2010-11-26); an action the report calls implemented is done, and its
completed date is the date the report gives, else that day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from actions import services
from actions.escalation import LEVELS
from actions.models import Action, Theme
from enquiries.models import Category, Topic
from seed.files import date, optional_date, read
from seed.reference import load_taxonomy
from stakeholders.models import Contact, Meeting, Organisation, Recommendation

_DATA = read("report_actions.json")
Status = Action.Status
# The taskforce ended its work on this day; the report's phrases are read from it.
REPORT_DAY = date(_DATA["report_day"])
# code: {"name_da", "name_en"}
THEMES: dict[str, dict[str, str]] = _DATA["themes"]
# Each action: code, title, theme, owner, status, due (the report's phrase),
# and optionally completed_on, description, recommendations, meetings,
# topics, categories, follows_up, responsible, insufficient and kpis (see
# the file's _about).
ACTIONS: list[dict[str, Any]] = _DATA["actions"]


class MissingReferenceData(LookupError):
    """The stakeholder or taxonomy rows an action points at are not loaded."""


def _by_code(model, codes: list[str]) -> list:
    rows = {row.code: row for row in model.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in rows]
    if missing:
        raise MissingReferenceData(
            f"{model._meta.verbose_name_plural} not loaded: {', '.join(missing)}; "
            "run load_stakeholder_data() first."
        )
    return [rows[code] for code in codes]


def _topics(pairs: list[list[str]]) -> list[Topic]:
    found = []
    for queue, code in pairs:
        topic = Topic.objects.filter(queue__code=queue, code=code).first()
        if topic is None:
            raise MissingReferenceData(f"enquiry topic not loaded: {queue}/{code}")
        found.append(topic)
    return found


def _categories(triples: list[list[str]]) -> list[Category]:
    found = []
    for queue, topic, code in triples:
        category = Category.objects.filter(
            topic__queue__code=queue, topic__code=topic, code=code
        ).first()
        if category is None:
            raise MissingReferenceData(f"enquiry category not loaded: {queue}/{topic}/{code}")
        found.append(category)
    return found


def _create(data: dict[str, Any], themes: dict[str, Theme]) -> Action:
    (owner,) = _by_code(Organisation, [data["owner"]])
    earlier = Action.objects.get(code=data["follows_up"]) if data.get("follows_up") else None
    responsible = None
    if data.get("responsible"):
        responsible = Contact.objects.filter(organisation=owner, name=data["responsible"]).first()
    action = services.create_action(
        owner,
        by=None,
        code=data["code"],
        title=data["title"],
        theme=themes[data["theme"]],
        due_phrase=data["due"],
        description=data.get("description", ""),
        responsible=responsible,
        status=data["status"],
        completed_on=optional_date(data.get("completed_on")),
        origin_recommendations=_by_code(Recommendation, data.get("recommendations", [])),
        origin_meetings=_by_code(Meeting, data.get("meetings", [])),
        origin_topics=_topics(data.get("topics", [])),
        origin_categories=_categories(data.get("categories", [])),
        follows_up=earlier,
        today=REPORT_DAY,
    )
    for measure in data.get("kpis", []):
        kpi = services.add_kpi(
            action,
            by=None,
            metric=measure["metric"],
            unit=measure["unit"],
            baseline=Decimal(measure["baseline"]),
            target=None if measure["target"] is None else Decimal(measure["target"]),
        )
        for reading in measure["readings"]:
            services.record_kpi_reading(
                kpi,
                by=None,
                measured_on=date(reading["measured_on"]),
                value=Decimal(reading["value"]),
                note=reading["note"],
            )
    return action


@transaction.atomic
def load_action_data(
    *, as_history: bool = False, today: datetime.date | None = None
) -> dict[str, int]:
    """Create the report's themes and actions that are missing; idempotent.

    Existing rows (matched by code) are never changed. An action the report
    found insufficient is marked so once its follow-up exists. `as_history`
    settles the escalation of the new actions already overdue `today`.
    Returns how many themes and actions were created.
    """
    if not Topic.objects.filter(queue__code="support").exists():
        load_taxonomy()
    created = {"themes": 0, "actions": 0}
    themes: dict[str, Theme] = {}
    for position, (code, names) in enumerate(THEMES.items()):
        themes[code], new = Theme.objects.get_or_create(
            code=code, defaults={**names, "position": position}
        )
        created["themes"] += new
    fresh: set[str] = set()
    for data in ACTIONS:
        if Action.objects.filter(code=data["code"]).exists():
            continue
        _create(data, themes)
        fresh.add(data["code"])
        created["actions"] += 1
    for data in ACTIONS:
        if data["code"] in fresh and data.get("insufficient"):
            action = Action.objects.get(code=data["code"])
            follow_up = action.follow_ups.order_by("pk").first()
            services.change_action_status(
                action,
                to=Status.INSUFFICIENT,
                by=None,
                note=data["insufficient"],
                follow_up=follow_up,
                today=REPORT_DAY,
            )
    if as_history:
        # Their deadlines passed in the taskforce's time, which followed them
        # up: a new installation's first sweep must not e-mail about 2011.
        # A later change of due date or a reopening sets the level back to 0.
        Action.objects.filter(code__in=fresh).overdue(today or timezone.localdate()).update(
            escalation_level=max(LEVELS)
        )
    return created
