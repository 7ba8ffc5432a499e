"""The cached copies of outage notices: the agents' banner and the public
feeds. A change to an incident deletes them all (services._changed); with
the cache away they go by their timeout (nemid_cases.caching)."""

from nemid_cases import caching

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
    caching.forget(BANNER, *FEEDS)
