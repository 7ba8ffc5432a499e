"""The cache's Redis stops and starts again under the dashboard: always served.

A Redis of the test's own is the configured cache. While it is down the
banner and the dashboard's figures are read from the database (each cache
call a logged warning); once it is back the figures are kept again, with
no restart of the app.
"""

import shutil

import pytest
import redis
from django.test import override_settings

from tests.faults.test_broker_restart import PrivateRedis

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

URL = "/dashboards/"


@pytest.fixture
def cache_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    settings = override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            }
        }
    )
    with settings:
        yield server
    if server.process.poll() is None:
        server.kill()


def _kept(server: PrivateRedis) -> int:
    return len(redis.Redis(port=server.port).keys("*dashboards:figures:*"))


def _shown(response) -> dict:
    assert response.status_code == 200
    return {
        slug: [row.values for row in table.rows]
        for slug, table in response.context["tables"].items()
    }


def test_the_dashboard_is_served_while_the_cache_is_down_and_cached_again_after(
    client_as, current, cache_redis, caplog
):
    client = client_as("manager")
    expected = _shown(client.get(URL, current.query()))
    assert _kept(cache_redis) == 1

    cache_redis.kill()
    down = client.get(URL, current.query())
    cache_redis.start()
    # The first call after the restart may meet the dead connection.
    client.get(URL, current.query())
    again = client.get(URL, current.query())

    assert _shown(down) == expected
    assert _shown(again) == expected
    assert any("Cache read of dashboards:figures:" in r.getMessage() for r in caplog.records)
    assert _kept(cache_redis) == 1
