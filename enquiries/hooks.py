"""Reactions to enquiry changes: the one hook the apps above enquiries use.

`enquiries` sits at the bottom of the dependency graph and imports none of
the apps built on it. Those that must react to a change (analytics marks
its summaries stale, problems links a new enquiry, feedback invites the
citizen to rate a resolution) register a reaction here from their
`AppConfig.ready()`; the enquiry services call `enquiry_changed()` after
every change and `enquiries_changed()` after a bulk update.

Reactions run in registration order (INSTALLED_APPS order), synchronously
and inside the caller's transaction: what they write commits or rolls back
with the change, and what leaves the process they enqueue on commit. An
exception in a reaction rolls the change back. A plain registry rather than
Django signals: `registered()` lists every reaction, and a reader follows
one import from the service to here and from here to each `ready()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from enquiries.models import Enquiry


class EnquiryReaction(Protocol):
    def __call__(
        self,
        enquiry: Enquiry,
        *,
        changed: set[str],
        old: dict[str, Any],
        now: datetime.datetime,
    ) -> object: ...


class BulkReaction(Protocol):
    def __call__(
        self,
        rows: Iterable[tuple[int, datetime.datetime]],
        *,
        changed: set[str],
        now: datetime.datetime,
    ) -> object: ...


_enquiry_reactions: list[EnquiryReaction] = []
_bulk_reactions: list[BulkReaction] = []


def _add(reactions: list, reaction: Callable) -> None:
    # ready() may run more than once (tests, management commands).
    if reaction not in reactions:
        reactions.append(reaction)


def on_enquiry_change(reaction: EnquiryReaction) -> EnquiryReaction:
    """Register `reaction(enquiry, *, changed, old, now)` for every change.

    `changed` names the fields that changed ("created" for a new enquiry);
    `old` holds the previous values of those the services pass on.
    """
    _add(_enquiry_reactions, reaction)
    return reaction


def on_bulk_change(reaction: BulkReaction) -> BulkReaction:
    """Register `reaction(rows, *, changed, now)` for set-based updates.

    `rows` are the (queue id, received_at) of the enquiries an UPDATE
    changed without going through `enquiry_changed()` one by one.
    """
    _add(_bulk_reactions, reaction)
    return reaction


def enquiry_changed(
    enquiry: Enquiry, *, changed: set[str], old: dict[str, Any], now: datetime.datetime
) -> None:
    """Run every registered reaction to one enquiry's change."""
    for reaction in _enquiry_reactions:
        reaction(enquiry, changed=changed, old=old, now=now)


def enquiries_changed(
    rows: Iterable[tuple[int, datetime.datetime]], *, changed: set[str], now: datetime.datetime
) -> None:
    """Run every registered reaction to a bulk update of enquiries."""
    rows = list(rows)
    if not rows:
        return
    for reaction in _bulk_reactions:
        reaction(rows, changed=changed, now=now)


def registered() -> dict[str, list[str]]:
    """The reactions in force, by dotted name: for tests and the docs."""

    def name(reaction: Callable) -> str:
        return f"{reaction.__module__}.{reaction.__qualname__}"

    return {
        "enquiry": [name(r) for r in _enquiry_reactions],
        "bulk": [name(r) for r in _bulk_reactions],
    }
