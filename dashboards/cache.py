"""The dashboard's figures in the configured cache, for every reader of a scope.

An entry holds a dashboard's figures (`Dashboard.figure_values()`: query results
and rows read), not text in a language nor HTML: each request makes its
tables, charts and page from them, in its reader's language and with its
own CSRF token. A manager's reload and another manager's first look read
no table query while the entry lasts. (The exports of one table do not use
it: the key's aggregate costs more than that table's own queries.)

The key is the scope (queues, days, interval, basis, today), the readers
the figures are for (`audience`), and the aggregates of the page's
validator (`Dashboard.freshness()`, the summaries' version among them):
any change of what the figures read moves the key, so a stale entry is
never read; old entries go by DASHBOARD_CACHE_SECONDS. A cache that fails
is passed by: the figures are read from the database as without it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from accounts.roles import ALL_QUEUE_ROLES
from dashboards.tables import Dashboard
from nemid_cases import caching

# Part of every key: raise it when the figures' shapes change, so a new
# release never reads the entries of an old one.
FORMAT = 1


def audience(dashboard: Dashboard) -> tuple:
    """Whom the figures may be shown to, besides the scope's queues.

    The panels the reader may see, and whose actions and alerts: oversight
    roles read every queue and action, so theirs are the same for all of
    them; anyone else's depend on their teams through rules (`visible_to`)
    that may grow, so their entries are their own.
    """
    user = dashboard.user
    panels = (
        dashboard.can_actions,
        dashboard.can_alerts,
        dashboard.can_surveys,
        dashboard.can_ratings,
        dashboard.can_incidents,
        dashboard.can_problems,
    )
    reader = "oversight" if user.has_role(*ALL_QUEUE_ROLES) else f"user:{user.pk}"
    return (reader, panels)


def key(dashboard: Dashboard, version: list) -> str:
    """The entry of `dashboard`'s figures while `version` holds."""
    scope = dashboard.scope
    parts = (
        FORMAT,
        audience(dashboard),
        scope.queue_ids,
        scope.start,
        scope.end,
        scope.interval,
        scope.basis,
        # Ages of the open enquiries, overdue actions and ongoing incidents
        # move with the day; a passing deadline moves `version`.
        scope.today,
        version,
    )
    text = repr(parts).encode("utf-8", "surrogatepass")
    return f"dashboards:figures:{hashlib.sha256(text).hexdigest()}"


def load(dashboard: Dashboard, version: list) -> str:
    """Give `dashboard` the figures kept for its key; the key."""
    entry = key(dashboard, version)
    dashboard.reuse(caching.get(entry) or {})
    return entry


def save(dashboard: Dashboard, entry: str) -> None:
    """Keep the figures `dashboard` has read, if it read any not kept yet."""
    if dashboard.read_anew():
        caching.put(entry, dashboard.figure_values(), settings.DASHBOARD_CACHE_SECONDS)
