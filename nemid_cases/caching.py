"""The configured cache (settings.CACHES) as an optimisation, never a need.

A cache that fails (Redis stopped, restarting, out of memory) is passed
by: a read finds nothing and a write keeps nothing, each logged as a
warning, and the caller computes what it would have found. Pages stay up
while the cache is away; they are only slower.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)


def get(key: str) -> Any:
    """The value kept under `key`; None if there is none or the cache fails."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Cache read of %s failed; computing instead", key, exc_info=True)
        return None


def put(key: str, value: Any, timeout: float | None) -> None:
    """Keep `value` under `key` for `timeout` seconds, if the cache works."""
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Cache write of %s failed; not kept", key, exc_info=True)


def forget(*keys: str) -> None:
    """Delete `keys`, if the cache works; if not, they expire by their timeout."""
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("Cache delete of %s failed; left to expire", keys, exc_info=True)


def get_or_set(key: str, compute: Callable[[], Any], timeout: float) -> Any:
    """The value kept under `key`, else `compute()` kept there; computed
    whenever the cache fails. `compute()` must not return None."""
    found = get(key)
    if found is None:
        found = compute()
        put(key, found, timeout)
    return found


class PassedBy:
    """The same, for code that is handed a cache object (DRF's throttles).

    A read that fails finds nothing (`default`), a write that fails keeps
    nothing: with Redis away an API client is answered without a limit
    instead of with a 500, and the limits count again once it is back.
    """

    def get(self, key: str, default: Any = None) -> Any:
        found = get(key)
        return default if found is None else found

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        put(key, value, timeout)


passed_by = PassedBy()
