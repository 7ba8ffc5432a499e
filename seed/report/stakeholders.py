"""The taskforce's stakeholder world of autumn 2010, from its report.

The data is seed/data/report_stakeholders.json: organisations, the units
the report names, the DH working group, the meetings with who was present,
every recommendation with the project's response, and the follow-ups that
wait on others, keyed on the stable codes of that file (contacts on
organisation and name).

The loader only creates what is missing: a row that exists is left as it
is, so re-running it (every `make run` does) never overwrites a status,
a response or a resolved follow-up that the secretariat has changed.
Meetings, recommendations and follow-ups are written through the
stakeholders' services (so they are validated as a person's would be);
organisations, contacts and working groups have no service and are created
directly.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from enquiries.models import Topic
from seed.files import date, optional_date, read
from seed.reference import load_taxonomy
from stakeholders import services
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)

_DATA = read("report_stakeholders.json")
ORGANISATIONS: dict[str, dict[str, Any]] = _DATA["organisations"]
CONTACTS: list[dict[str, str]] = _DATA["contacts"]
WORKING_GROUPS: dict[str, dict[str, Any]] = _DATA["working_groups"]
MEETINGS: dict[str, dict[str, Any]] = _DATA["meetings"]
RECOMMENDATIONS: dict[str, dict[str, Any]] = _DATA["recommendations"]
FOLLOW_UPS: dict[str, dict[str, Any]] = _DATA["follow_ups"]

# Loaded as history (load_report_data), the waits the report leaves open end
# with the taskforce's year: the report is their last record, and a newcomer's
# "Waiting on others" must not count sixteen years of waiting.
HISTORY_ENDS_ON = date(_DATA["history"]["ends_on"])
HISTORY_NOTE: str = _DATA["history"]["note"]


def _create_missing(model: type[models.Model], code: str, fields: dict[str, Any]):
    """Create the row with `code` unless it exists; return (row, created)."""
    row = model.objects.filter(code=code).first()
    if row is not None:
        return row, False
    return model.objects.create(code=code, **fields), True


def _topics() -> dict[tuple[str, str], Topic]:
    wanted = {tuple(pair) for rec in RECOMMENDATIONS.values() for pair in rec["topics"]}
    found = {(t.queue.code, t.code): t for t in Topic.objects.select_related("queue")}
    if not wanted <= found.keys():
        load_taxonomy()
        found = {(t.queue.code, t.code): t for t in Topic.objects.select_related("queue")}
    return found


def _organisations(created: dict[str, int]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for code, fields in ORGANISATIONS.items():
        # An organisation someone entered by hand before the loader ran is
        # adopted rather than duplicated (names are unique).
        Organisation.objects.filter(name=fields["name"], code="").update(code=code)
        orgs[code], new = _create_missing(Organisation, code, fields)
        created["organisations"] += new
    return orgs


def _meetings(
    orgs: dict[str, Organisation], contacts: dict[tuple[str, str], Contact], created
) -> dict[str, Meeting]:
    groups: dict[str, WorkingGroup] = {}
    for code, data in WORKING_GROUPS.items():
        fields = {**data, "established_on": date(data["established_on"])}
        del fields["members"]
        groups[code], new = _create_missing(WorkingGroup, code, fields)
        if new:
            groups[code].members.set([orgs[c] for c in data["members"]])
        created["working_groups"] += new
    meetings: dict[str, Meeting] = {}
    for code, data in MEETINGS.items():
        meeting = Meeting.objects.filter(code=code).first()
        if meeting is None:
            meeting = services.record_meeting(
                code=code,
                title=data["title"],
                held_on=optional_date(data["held_on"]),
                organisations=[orgs[c] for c in data["organisations"]],
                attendees=[contacts[org, name] for org, name in data["attendees"]],
                working_group=groups[data["working_group"]] if "working_group" in data else None,
                agenda=data.get("agenda", ""),
                minutes=data["minutes"],
                outcome=data["outcome"],
                by=None,
            )
            created["meetings"] += 1
        meetings[code] = meeting
    return meetings


@transaction.atomic
def load_stakeholder_data(*, as_history: bool = False) -> dict[str, int]:
    """Create the report's stakeholder records that are missing; idempotent.

    Existing rows (matched by code) are never changed. `as_history` resolves
    the follow-ups the report leaves open at HISTORY_ENDS_ON. Returns how
    many rows of each kind were created.
    """
    created = dict.fromkeys(
        [
            "organisations",
            "contacts",
            "working_groups",
            "meetings",
            "recommendations",
            "follow_ups",
        ],
        0,
    )
    orgs = _organisations(created)
    contacts: dict[tuple[str, str], Contact] = {}
    for contact in CONTACTS:
        org_code, name = contact["organisation"], contact["name"]
        contacts[org_code, name], new = Contact.objects.get_or_create(
            organisation=orgs[org_code], name=name, defaults={"title": contact["title"]}
        )
        created["contacts"] += new
    meetings = _meetings(orgs, contacts, created)

    topics = _topics()
    recommendations = {}
    for code, data in RECOMMENDATIONS.items():
        recommendation = Recommendation.objects.filter(code=code).first()
        if recommendation is None:
            recommendation = services.record_recommendation(
                orgs[data["organisation"]],
                code=code,
                meeting=meetings[data["meeting"]] if data["meeting"] else None,
                text=data["text"],
                response=data["response"],
                status=data["status"],
                rationale=data["rationale"],
                topics=[topics[queue, topic] for queue, topic in data["topics"]],
                by=None,
            )
            created["recommendations"] += 1
        recommendations[code] = recommendation

    for code, data in FOLLOW_UPS.items():
        if FollowUp.objects.filter(code=code).exists():
            continue
        notes = data["notes"]
        if as_history:
            notes = f"{notes}\n\n{HISTORY_NOTE}"
        follow_up = services.open_follow_up(
            code=code,
            subject=data["subject"],
            waiting_organisation=orgs[data["waiting_organisation"]],
            awaited_organisation=orgs[data["awaited_organisation"]],
            since_on=date(data["since_on"]),
            meeting=meetings[data["meeting"]] if data["meeting"] else None,
            recommendation=(
                recommendations[data["recommendation"]] if data["recommendation"] else None
            ),
            notes=notes,
            by=None,
        )
        if as_history:
            services.resolve_follow_up(follow_up, resolved_on=HISTORY_ENDS_ON, by=None)
        created["follow_ups"] += 1
    return created
