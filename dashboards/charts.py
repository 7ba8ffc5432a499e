"""Chart data for static/js/dashboard-charts.js, made from the tables.

The charts draw exactly the figures of the tables under them, so the two
cannot disagree. Every bar or point carries the drill-down link of its
table cell (None where there is none). Passed with `json_script`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dashboards.tables import Table


def _number(value: Any) -> float | int | None:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _label(value: Any) -> str:
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _column(table: Table, index: int, *, link: bool = True) -> dict:
    return {
        "label": str(table.headers[index]),
        "data": [_number(row.values[index]) for row in table.rows],
        "urls": [row.links.get(index) if link else None for row in table.rows],
    }


def _by_row(table: Table, index: int, label: str) -> dict:
    """One dataset of column `index`, each bar linking to its row's list."""
    return {
        "label": label,
        "data": [_number(row.values[index]) for row in table.rows],
        "urls": [row.url for row in table.rows],
    }


def _labels(table: Table) -> list:
    return [_label(row.values[0]) for row in table.rows]


def _one_column(table: Table, index: int, kind: str, **options) -> dict:
    """A chart of column `index` over the rows, titled by its header."""
    title = str(table.headers[index])
    return {
        "kind": kind,
        "labels": _labels(table),
        "datasets": [_by_row(table, index, title)],
        "yTitle": title,
        **options,
    }


def _volume(table: Table, bands: list[dict]) -> dict:
    return {
        "kind": "bar",
        "integer": True,
        "stacked": True,
        "labels": _labels(table),
        "datasets": [_column(table, i) for i in range(1, len(table.headers) - 1)],
        "yTitle": _("Enquiries"),
        "bands": bands,
    }


def _compliance(table: Table) -> dict:
    spec = _one_column(table, 3, "line", percent=True, yMax=100)
    # A point links to the bucket's overdue enquiries when there are any.
    spec["datasets"][0]["urls"] = [row.links.get(4) or row.url for row in table.rows]
    return spec


def _actions_theme(table: Table) -> dict:
    return {
        "kind": "bar",
        "integer": True,
        "stacked": True,
        "horizontal": True,
        "labels": _labels(table),
        # The status columns; "overdue" overlaps them, so it is not stacked.
        "datasets": [_column(table, i) for i in range(1, len(table.headers) - 1)],
        "yTitle": _("Actions"),
    }


def _kpis(table: Table) -> dict:
    return {
        "kind": "bar",
        "labels": _labels(table),
        "datasets": [
            _by_row(table, 3, str(table.headers[3])),
            _by_row(table, 4, str(table.headers[4])),
            _by_row(table, 6, str(table.headers[6])),
        ],
        "yTitle": _("Value"),
    }


def _surveys(table: Table) -> dict:
    return {
        "kind": "bar",
        "percent": True,
        "labels": [f"{row.values[0]} ({_label(row.values[2])})" for row in table.rows],
        "datasets": [_by_row(table, 5, str(table.headers[5]))],
        "yTitle": str(table.headers[5]),
        "yMax": 100,
    }


def _problems_time(table: Table) -> dict:
    return {
        "kind": "line",
        "integer": True,
        "labels": _labels(table),
        "datasets": [_column(table, 3, link=False), _column(table, 4, link=False)],
        "yTitle": _("Affected in all"),
    }


def chart_specs(tables: dict[str, Table], *, bands: list[dict] | None = None) -> dict[str, dict]:
    """`bands`: incident windows shaded on the volume chart, each
    {"label", "from", "to"} by bar index; the incidents table lists them."""
    # One chart per table present, in this order.
    charts: dict[str, Callable[[Table], dict]] = {
        "volume": lambda table: _volume(table, bands or []),
        "topics": lambda table: _one_column(table, 1, "bar", horizontal=True, percent=True),
        "backlog": lambda table: _one_column(table, 1, "bar", integer=True),
        "compliance": _compliance,
        "actions-status": lambda table: _one_column(table, 1, "bar", integer=True),
        "actions-theme": _actions_theme,
        "kpis": _kpis,
        "surveys": _surveys,
        "problems-time": _problems_time,
        "ratings": lambda table: _one_column(table, 2, "line", yMin=1, yMax=5),
    }
    return {name: chart(table) for name, chart in charts.items() if (table := tables.get(name))}
