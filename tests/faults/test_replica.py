"""A real PostgreSQL streaming replica under a running server (issue 11).

For this module a primary and a hot standby are started on free ports: the
primary made by initdb, the standby by pg_basebackup from it (`-R`, WAL
streamed), both run by the postgres user in a temporary folder. The test
database is copied to the primary and streams to the standby; gunicorn
serves with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the
standby. Pausing the standby's WAL replay makes it stale on purpose, so
which database a page read is visible from outside: a manager's export
(a replica route) does not yet show what an agent just logged, while the
agent, who wrote, sees it on every page including the export.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connections
from django.utils import timezone

from nemid_cases.replica import REPLICA, ReplicaRouter, replica_reads
from tests.browser.live import ROOT, free_port
from tests.faults.test_database_outage import Cluster, browser_session

POSTGRES = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a streaming replica needs PostgreSQL (the CI's second run)",
)


def _as_postgres(*command: str, timeout: int = 120) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", *command],
        check=True,
        capture_output=True,
        timeout=timeout,
    )


class Pair:
    """A primary and its hot standby in one folder owned by postgres."""

    def __init__(self):
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        self.bin = Path(f"/usr/lib/postgresql/{version}/bin")
        self.version = version
        self.folder = Path(tempfile.mkdtemp(prefix="nemid-replica-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.primary_port, self.replica_port = free_port(), free_port()
        self.primary, self.replica = self.folder / "primary", self.folder / "replica"

    def start(self) -> Pair:
        _as_postgres(str(self.bin / "initdb"), "-D", str(self.primary), "-U", "postgres",
                     "--auth=trust", "--no-sync")  # fmt: skip
        self._configure(self.primary, self.primary_port)
        self._ctl(self.primary, "start")
        _as_postgres(str(self.bin / "pg_basebackup"), "-h", "127.0.0.1",
                     "-p", str(self.primary_port), "-U", "postgres", "-D", str(self.replica),
                     "-R", "-X", "stream", "--no-sync")  # fmt: skip
        self._configure(self.replica, self.replica_port)
        self._ctl(self.replica, "start")
        return self

    def _configure(self, data: Path, port: int) -> None:
        settings = (
            f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.folder}'\nfsync = off\n"
            "hot_standby = on\nmax_wal_senders = 4\nwal_level = replica\n"
        )
        _as_postgres("sh", "-c", f'echo "{settings}" >> {data}/postgresql.conf')

    def _ctl(self, data: Path, action: str) -> None:
        _as_postgres(str(self.bin / "pg_ctl"), "-D", str(data), "-l", f"{data}.log",
                     "-w", "-m", "fast", action)  # fmt: skip

    def connect(self, port: int, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True
        )

    def caught_up(self, timeout: float = 60) -> None:
        """Wait until the standby has replayed everything the primary wrote."""
        with self.connect(self.primary_port) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.connect(self.replica_port) as replica:
            while True:
                replayed = replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()[0]
                if replayed:
                    return
                assert time.monotonic() < deadline, "the standby did not catch up"
                time.sleep(0.2)

    def stop(self) -> None:
        for data in (self.replica, self.primary):
            if data.exists():
                subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / "pg_ctl"),
                                "-D", str(data), "-m", "immediate", "stop"],
                               capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pair():
    started = Pair()
    try:
        yield started.start()
    finally:
        started.stop()


@pytest.fixture
def serve(pair, tmp_path, settings):
    """serve() copies the test database to the primary and serves it with the standby."""
    processes = []

    def start() -> tuple[str, str]:
        url, dbname, process = _serve(pair, tmp_path, settings)
        processes.append(process)
        return url, dbname

    yield start
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _serve(pair, tmp_path, settings):
    dbname = f"replica_{os.getpid()}"
    Cluster(pair.version, "replica-test", pair.primary_port).copy_of_test_database(dbname)
    pair.caught_up()
    port = free_port()
    for folder in ("celery/queue", "celery/control", "media"):
        (tmp_path / "var" / folder).mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST"))
    } | {
        "DJANGO_SETTINGS_MODULE": "nemid_cases.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pair.primary_port}/{dbname}",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{pair.replica_port}/{dbname}",
        "CELERY_BROKER_URL": "filesystem://",
        "NEMID_VAR_DIR": str(tmp_path / "var"),
    }
    log = tmp_path / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "nemid_cases.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    return url, dbname, process


def _log_an_enquiry(session: requests.Session, url: str, queue, category) -> None:
    form = session.get(f"{url}/enquiries/new/", timeout=30)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = session.post(
        f"{url}/enquiries/new/",
        data={
            "csrfmiddlewaretoken": token,
            "queue": queue.pk,
            "category": category.pk,
            "subject": "Nøglekort virker ikke efter replikering",
            "priority": "2",
            "channel": "phone",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "language": "da",
            "citizen_choice": "none",
        },
        headers={"Referer": f"{url}/enquiries/new/"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:2000]
    assert "/new/" not in answer.headers["Location"], answer.headers["Location"]


@POSTGRES
@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("pg-replica")
def test_reports_read_the_replica_but_an_agent_always_reads_their_own_writes(
    pair, serve, personas, taxonomy
):
    from enquiries.models import Category

    category = Category.objects.filter(topic__queue=taxonomy["support"], is_active=True).first()
    agent, manager = browser_session(personas["agent"]), browser_session(personas["manager"])
    url, dbname = serve()
    with pair.connect(pair.replica_port, dbname) as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            _log_an_enquiry(agent, url, taxonomy["support"], category)
            with pair.connect(pair.primary_port, dbname) as primary:
                (reference,) = primary.execute(
                    "SELECT reference FROM enquiries_enquiry ORDER BY id DESC LIMIT 1"
                ).fetchone()
            assert not replica.execute(
                "SELECT 1 FROM enquiries_enquiry WHERE reference = %s", [reference]
            ).fetchone(), "the standby was meant to be paused"
            # The agent wrote: the list, the enquiry and even the export (a
            # replica route) come from the primary and show it.
            assert reference in agent.get(f"{url}/enquiries/", timeout=30).text
            assert agent.get(f"{url}/enquiries/{reference}/", timeout=30).status_code == 200
            assert reference in agent.get(f"{url}/exports/enquiries.csv", timeout=30).text
            # The manager wrote nothing: the export reads the paused standby.
            stale = manager.get(f"{url}/exports/enquiries.csv", timeout=30)
            assert stale.status_code == 200 and reference not in stale.text
            # The dashboard is served from the standby too, without error.
            assert manager.get(f"{url}/dashboards/", timeout=30).status_code == 200
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    pair.caught_up()
    assert reference in manager.get(f"{url}/exports/enquiries.csv", timeout=30).text


def test_the_router_sends_only_opted_in_reads_of_domain_models_to_the_replica(settings):
    from accounts.models import User
    from enquiries.models import Enquiry

    router = ReplicaRouter()
    with warnings.catch_warnings():  # "Overriding DATABASES": only the router reads it here
        warnings.simplefilter("ignore")
        settings.DATABASES = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"]}}
    assert router.db_for_read(Enquiry) is None
    with replica_reads():
        assert router.db_for_read(Enquiry) == REPLICA
        # Who the user is and what they may do is always read fresh.
        assert router.db_for_read(User) is None
        assert router.db_for_write(Enquiry) is None
    assert router.db_for_read(Enquiry) is None
    assert router.allow_migrate(REPLICA, "enquiries") is False
    assert router.allow_migrate("default", "enquiries") is True


def test_without_a_replica_everything_reads_the_default_database():
    from enquiries.models import Enquiry

    assert REPLICA not in connections.settings
    with replica_reads():
        assert ReplicaRouter().db_for_read(Enquiry) is None
