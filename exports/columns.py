"""The columns of the enquiry and action exports, read with `values()`.

Rows come from `exports.chunking.chunked_values`, so a row is a dict of
plain column values: no model instances, no per-row queries. Labels
(status, channel, names) are looked up when the row is written, under the
export's language. A citizen appears only for users who may see citizens,
and then only with the masked CPR number (`DDMMYY-xxxx`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from enquiries.models import Channel, Enquiry
from exports.chunking import DEFAULT_CHUNK_SIZE, chunked_values


@dataclass(frozen=True)
class Column:
    header: Any
    fields: tuple[str, ...]
    value: Callable[[dict], Any]
    width: int = 16


def _field(name: str) -> Callable[[dict], Any]:
    return lambda row: row[name]


def _translated(prefix: str) -> Callable[[dict], Any]:
    """A TranslatedName's name in the export's language."""
    english: list[bool] = []

    def value(row: dict) -> str | None:
        # The language is read on the first row, inside the export's
        # translation.override, not once per cell.
        if not english:
            english.append((get_language() or "da").startswith("en"))
        if english[0] and row[f"{prefix}__name_en"]:
            return row[f"{prefix}__name_en"]
        return row[f"{prefix}__name_da"]

    return value


def _person(row: dict) -> str | None:
    if row["assignee__username"] is None:
        return None
    name = f"{row['assignee__first_name']} {row['assignee__last_name']}".strip()
    return name or row["assignee__username"]


def _label(choices) -> Callable[[str], Callable[[dict], Any]]:
    """Choice labels, translated once per export (on its first row)."""
    resolved: dict[Any, str] = {}

    def for_field(name: str) -> Callable[[dict], Any]:
        def value(row: dict) -> str | None:
            if not resolved:
                resolved.update((key, str(label)) for key, label in choices)
            code = row[name]
            return None if code is None else resolved.get(code, code)

        return value

    return for_field


def _yes_no(test: Callable[[dict], bool]) -> Callable[[dict], str]:
    """ "Yes" or "No", translated once per export (on its first row)."""
    words: list[str] = []

    def value(row: dict) -> str:
        if not words:
            words.extend([gettext("Yes"), gettext("No")])
        return words[0] if test(row) else words[1]

    return value


def _is_enquiry_overdue(now: datetime.datetime) -> Callable[[dict], bool]:
    """The same rule as EnquiryQuerySet.overdue, on a values() row."""

    def value(row: dict) -> bool:
        if row["status"] in Enquiry.CLOSED_STATUSES:
            return False
        clock = row["sla_paused_at"] or now
        if row["resolution_due_at"] and row["resolution_due_at"] < clock:
            return True
        return bool(
            row["first_response_due_at"]
            and not row["first_responded_at"]
            and row["first_response_due_at"] < clock
        )

    return value


def enquiry_columns(*, with_citizen: bool, now: datetime.datetime) -> list[Column]:
    status, channel = _label(Enquiry.Status.choices), _label(Channel.choices)
    priority = _label(Enquiry.Priority.choices)
    columns = [
        Column(_("Reference"), ("reference",), _field("reference"), 18),
        Column(_("Queue"), ("queue__name_da", "queue__name_en"), _translated("queue"), 28),
        Column(_("Channel"), ("channel",), channel("channel"), 12),
        Column(_("Received"), ("received_at",), _field("received_at"), 17),
        Column(_("Subject"), ("subject",), _field("subject"), 40),
        Column(_("Topic"), ("topic__name_da", "topic__name_en"), _translated("topic"), 30),
        Column(
            _("Category"), ("category__name_da", "category__name_en"), _translated("category"), 36
        ),
        Column(_("Status"), ("status",), status("status"), 14),
        Column(_("Priority"), ("priority",), priority("priority"), 10),
        Column(
            _("Assignee"),
            ("assignee__username", "assignee__first_name", "assignee__last_name"),
            _person,
            22,
        ),
        Column(_("Team"), ("team__name",), _field("team__name"), 18),
        Column(
            _("First response due"), ("first_response_due_at",), _field("first_response_due_at")
        ),
        Column(_("First responded"), ("first_responded_at",), _field("first_responded_at")),
        Column(_("Resolution due"), ("resolution_due_at",), _field("resolution_due_at")),
        Column(_("Resolved"), ("resolved_at",), _field("resolved_at")),
        Column(_("Closed"), ("closed_at",), _field("closed_at")),
        Column(
            _("Overdue"),
            (
                "status",
                "sla_paused_at",
                "resolution_due_at",
                "first_response_due_at",
                "first_responded_at",
            ),
            _yes_no(_is_enquiry_overdue(now)),
            10,
        ),
        Column(_("Escalation level"), ("escalation_level",), _field("escalation_level"), 10),
    ]
    if with_citizen:
        columns += [
            Column(_("Citizen"), ("citizen__name",), _field("citizen__name"), 26),
            # Only ever the masked form; the ciphertext is never selected.
            Column(
                _("CPR number (masked)"), ("citizen__cpr_masked",), _field("citizen__cpr_masked")
            ),
        ]
    return columns


def _is_action_overdue(today: datetime.date) -> Callable[[dict], bool]:
    def value(row: dict) -> bool:
        return (
            row["status"] not in Action.FINISHED_STATUSES
            and row["due_end"] is not None
            and row["due_end"] < today
        )

    return value


def action_columns(*, today: datetime.date) -> list[Column]:
    status = _label(Action.Status.choices)
    return [
        Column(_("Code"), ("code",), _field("code"), 24),
        Column(_("Title"), ("title",), _field("title"), 48),
        Column(_("Theme"), ("theme__name_da", "theme__name_en"), _translated("theme"), 20),
        Column(_("Owner"), ("owner__name",), _field("owner__name"), 28),
        Column(_("Responsible person"), ("responsible__name",), _field("responsible__name"), 24),
        Column(_("Status"), ("status",), status("status"), 16),
        Column(_("Due"), ("due_phrase",), _field("due_phrase"), 20),
        Column(_("Due from"), ("due_start",), _field("due_start"), 12),
        Column(_("Due by"), ("due_end",), _field("due_end"), 12),
        Column(_("Completed"), ("completed_on",), _field("completed_on"), 12),
        Column(_("Overdue"), ("status", "due_end"), _yes_no(_is_action_overdue(today)), 10),
        Column(_("Follows up on"), ("follows_up__title",), _field("follows_up__title"), 36),
    ]


def rows_of(
    queryset: QuerySet,
    columns: list[Column],
    *,
    key: tuple[str, ...],
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[list[Any]]:
    """The export rows of a QuerySet, read lazily in keyset chunks."""
    fields = [name for column in columns for name in column.fields]
    for row in chunked_values(queryset, fields, key=key, chunk_size=chunk_size):
        yield [column.value(row) for column in columns]


def headers_of(columns: Iterable[Column]) -> list[Any]:
    return [column.header for column in columns]


def widths_of(columns: Iterable[Column]) -> list[int]:
    return [column.width for column in columns]
