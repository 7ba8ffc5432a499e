"""Danish formats and the report's wording for the report templates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template

from actions.models import Action
from reports import formatting, wording

register = template.Library()


@register.filter
def da_int(value: int | None) -> str:
    return "—" if value is None else formatting.da_int(value)


@register.filter
def da_decimal(value: Decimal | float | None) -> str:
    return "—" if value is None else formatting.da_decimal(value)


@register.filter
def da_percent(value: Decimal | None) -> str:
    return "—" if value is None else formatting.da_percent(value)


@register.filter
def da_date(value: datetime.date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = value.date()
    return formatting.da_date(value)


@register.filter
def da_month(value: datetime.date) -> str:
    return formatting.da_month(value)


@register.filter
def due_da(action: Action) -> str:
    """The due date as the report writes it: the phrase, else the last day."""
    if action.due_phrase:
        return action.due_phrase
    return formatting.da_date(action.due_end) if action.due_end else "—"


@register.filter
def recommendation_status_da(status: str) -> str:
    return wording.RECOMMENDATION_STATUS.get(status, status)


@register.filter
def owner_name(organisation) -> str:
    return organisation.short_name or organisation.name
