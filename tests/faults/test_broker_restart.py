"""Redis restarts with tasks in flight: the work is done once, nothing lost.

A Redis of the test's own (no persistence, like the CI's and a cache-style
production Redis) is the broker of a real worker with its embedded beat.
Overdue enquiries are logged, which publishes their escalations; Redis is
killed before the worker can take them (they are lost with it) and started
again; the worker reconnects by itself and the beat's sweep does the lost
work: each enquiry escalated once, each e-mail sent once.
"""

import datetime
import shutil
import subprocess
import time

import pytest
import redis
from django.utils import timezone

from enquiries import services
from enquiries.models import Enquiry
from tests.browser.live import free_port
from tests.integration.harness import Broker, WorkerProcess, use_broker
from tests.sla.test_faults import REFERENCE

pytestmark = [
    # Runs once in CI, in the PostgreSQL + Redis pass (docs/testing.md).
    pytest.mark.once_postgres,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


class PrivateRedis:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def waiting(self) -> int:
        client = redis.Redis(port=self.port)
        return sum(client.llen(queue) for queue in ("escalation", "notifications"))


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


def test_redis_restarted_with_escalations_in_flight_loses_nothing_and_repeats_nothing(
    private_redis, support, policies, personas, lead, tmp_path
):
    broker = Broker(
        url=f"redis://127.0.0.1:{private_redis.port}/0",
        transport_options={"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5},
    )
    received = timezone.now() - datetime.timedelta(days=10)
    with use_broker(broker):
        enquiries = [
            services.register_enquiry(
                support, by=personas["agent"], subject="Intet svar", channel="letter",
                received_at=received,
            )
            for _ in range(3)
        ]  # fmt: skip
    # Their escalations wait in Redis; then Redis dies and comes back empty.
    assert private_redis.waiting() == 3
    private_redis.kill()
    private_redis.start()
    assert private_redis.waiting() == 0

    worker = WorkerProcess(
        broker=broker,
        log_path=tmp_path / "worker.log",
        mail_dir=tmp_path / "mail",
        options=("--beat", f"--schedule={tmp_path / 'beat-schedule'}"),
        environment={"SLA_SWEEP_SECONDS": "2", "NOTIFICATION_SWEEP_SECONDS": "2"},
    )
    worker.mail_dir.mkdir()
    worker.start()
    try:
        worker.wait_for(
            lambda: Enquiry.objects.filter(escalation_level=1).count() == 3,
            what="the sweep's catch-up",
        )
        mails = worker.wait_for(lambda: len(worker.sent_mails()) >= 3 and worker.sent_mails())
        # Redis dies again under the running worker, and comes back.
        sweeps_before = worker.output().count("Sending due task escalate-overdue-enquiries")
        private_redis.kill()
        time.sleep(1)
        private_redis.start()
        # The worker reconnects by itself, and more sweeps run; none repeats
        # anything.
        worker.wait_for(
            lambda: (
                worker.output().count("Sending due task escalate-overdue-enquiries")
                >= sweeps_before + 2
                and "Connected to redis" in worker.output().split("Cannot connect")[-1]
                and "Cannot connect" in worker.output()
            ),
            timeout=60,
            what="sweeps after the reconnect",
        )
        mails = worker.sent_mails()
    finally:
        worker.stop()

    assert sorted(REFERENCE.search(m).group() for m in mails) == sorted(
        e.reference for e in enquiries
    )
    assert all(e.events.filter(kind="escalated").count() == 1 for e in enquiries)
