"""/healthz (liveness), /readyz (readiness) and the heartbeats behind them."""

import datetime
import time

import pytest
from django.utils import timezone

from operations import heartbeats
from operations.models import Heartbeat
from operations.tasks import heartbeat
from tests.integration.harness import Broker, hung_server, use_broker


@pytest.mark.django_db
def test_liveness_touches_nothing_but_the_process(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_reports_each_part_with_its_latency(client, broker):
    answer = client.get("/readyz")

    checks = answer.json()["checks"]
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    assert checks["database"]["ok"] and checks["broker"]["ok"]
    assert all(checks[part]["latency_ms"] >= 0 for part in ("database", "broker"))
    # A fresh installation has seen neither background process yet.
    assert checks["worker"] == {"ok": False, "seen_seconds_ago": None}
    assert checks["beat"] == {"ok": False, "seen_seconds_ago": None}
    assert answer["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_the_worker_and_the_beat_are_seen_when_they_run(client, broker):
    heartbeat()  # the task body, as the worker runs it
    heartbeats._beat_started()  # the beat process's beat_init
    try:
        # Any task the beat publishes touches its row.
        heartbeat.apply_async()
    finally:
        heartbeats._in_beat = False

    checks = client.get("/readyz").json()["checks"]
    assert checks["worker"] == {"ok": True, "seen_seconds_ago": 0}
    assert checks["beat"] == {"ok": True, "seen_seconds_ago": 0}


@pytest.mark.django_db
def test_a_web_process_publishing_is_no_beat_heartbeat(broker):
    heartbeat.apply_async()

    assert not Heartbeat.objects.filter(process="beat").exists()


@pytest.mark.django_db
def test_a_hung_broker_is_reported_within_the_publish_wait_and_the_node_stays_ready(
    client, settings
):
    settings.CELERY_PUBLISH_WAIT = 0.5
    with hung_server() as port:
        hung = Broker(
            url=f"redis://127.0.0.1:{port}/0",
            transport_options={"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5},
        )
        with use_broker(hung):
            started = time.monotonic()
            answer = client.get("/readyz")
            elapsed = time.monotonic() - started

    assert answer.status_code == 200
    assert answer.json()["checks"]["broker"]["ok"] is False
    assert answer.json()["checks"]["broker"]["error"] == "TimeoutError"
    assert elapsed < 0.5 + 1.5, elapsed


def stale_and_fresh(minutes_ago: int):
    now = timezone.now()
    heartbeats.touch("worker", now - datetime.timedelta(minutes=minutes_ago))
    heartbeats.touch("beat", now)


@pytest.mark.parametrize(
    ("persona", "minutes_ago", "banner"),
    [
        ("admin", 6, True),
        ("admin", 4, False),
        ("agent", 6, False),
        ("team_lead", 6, False),
        ("secretariat", 6, False),
        ("manager", 6, False),
    ],
)
def test_administrators_see_a_banner_when_a_background_process_is_quiet(
    client_as, persona, minutes_ago, banner
):
    stale_and_fresh(minutes_ago)

    page = client_as(persona).get("/enquiries/" if persona != "manager" else "/dashboards/")

    assert page.status_code == 200
    assert ("Not seen for 5 minutes: Celery worker." in page.content.decode()) is banner


def test_the_banner_is_danish_under_a_danish_ui(client_as):
    stale_and_fresh(10)

    page = client_as("admin", language="da").get("/enquiries/")

    assert "Ikke set i 5 minutter: Celery-worker." in page.content.decode()
