"""The cached copies of outage notices: the agents' banner and the public
feeds. A change to an incident deletes them all (services._changed)."""

from django.core.cache import cache

BANNER = "notices:banner"
FEED_PREFIX = "notices:feed:"
FEEDS = [
    f"{FEED_PREFIX}{name}"
    for name in ("json", "atom-da", "atom-en", "status-da", "status-en", "widget-da", "widget-en")
]
# Seconds a cached copy may live even without a change (a start or an
# expected end in the future passes without a write).
BANNER_SECONDS = 30
FEED_SECONDS = 30


def invalidate() -> None:
    cache.delete_many([BANNER, *FEEDS])
