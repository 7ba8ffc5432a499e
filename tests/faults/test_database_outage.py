"""The database goes away under a running server: 503, never a bare 500.

A gunicorn server works on a PostgreSQL cluster of its own, created for
this module on a free port (pg_createcluster) with a copy of the test
database, and the tests stop, start and restart that cluster under it. The
server is never restarted. The in-process tests kill the request's own
backend at a chosen query with `pg_terminate_backend`, a server-side kill.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from enquiries.models import Enquiry
from tests.browser.live import ROOT, free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="stopping a database server needs PostgreSQL (the CI's second run)",
    ),
    # One cluster for the module's tests: keep them on one xdist worker.
    pytest.mark.xdist_group("pg-cluster"),
]

PAYLOAD = {"queue": "support", "subject": "Nøglekort mistet", "channel": "phone"}


@dataclass
class Cluster:
    """A PostgreSQL cluster of Debian's postgresql-common, trust auth on loopback."""

    version: str
    name: str
    port: int

    def ctl(self, action: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action,
             *(["-m", "fast"] if action in ("stop", "restart") else [])],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    def connect(self, dbname: str) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True
        )

    def copy_of_test_database(self, dbname: str) -> None:
        """The test database as it is now (schema and rows), under `dbname`."""
        config = connection.settings_dict
        with self.connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            admin.execute(f'CREATE DATABASE "{dbname}"')
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "-h", config.get("HOST") or "127.0.0.1",
             "-p", str(config.get("PORT") or 5432), "-U", config["USER"], config["NAME"]],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "postgres", "-d", dbname],
            input=dump.stdout, check=True, capture_output=True, timeout=120,
        )  # fmt: skip


@pytest.fixture(scope="module")
def cluster():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    found = Cluster(version, f"faults{os.getpid()}", free_port())
    subprocess.run(
        ["pg_createcluster", version, found.name, "-p", str(found.port), "--start",
         "--", "--auth-host=trust", "--auth-local=trust"],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    try:
        yield found
    finally:
        subprocess.run(
            ["pg_dropcluster", version, found.name, "--stop"], capture_output=True, timeout=120
        )


@pytest.fixture
def serve(cluster, tmp_path, settings):
    """serve() copies the test database to the cluster and starts gunicorn on it."""
    processes = []

    def start() -> str:
        dbname = f"faults_{len(processes)}_{os.getpid()}"
        cluster.copy_of_test_database(dbname)
        port = free_port()
        log_path = tmp_path / "server.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))
        } | {
            "DJANGO_SETTINGS_MODULE": "nemid_cases.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/{dbname}",
            "CELERY_BROKER_URL": "filesystem://",
            "NEMID_VAR_DIR": str(tmp_path / "var"),
            "API_THROTTLE_USER_BURST": "none",
            "API_THROTTLE_USER": "none",
            "API_THROTTLE_WRITES": "none",
        }
        for folder in ("celery/queue", "celery/control", "media"):
            (tmp_path / "var" / folder).mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "nemid_cases.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return url, dbname
            except requests.RequestException:
                pass  # not listening yet, or still importing
            assert time.monotonic() < deadline, Path(log_path).read_text()
            time.sleep(0.2)

    yield start
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    if not _running(cluster):  # a test that failed while it was stopped
        cluster.ctl("start")


def _running(cluster: Cluster) -> bool:
    try:
        cluster.connect("postgres").close()
        return True
    except psycopg.OperationalError:
        return False


def browser_session(user) -> requests.Session:
    """A requests session carrying a session cookie made for `user`."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.cookies.set("django_language", "da")
    return session


def references(cluster: Cluster, dbname: str) -> dict[str, int]:
    """Each stored enquiry's reference and how many creation events it has."""
    with cluster.connect(dbname) as conn:
        return dict(
            conn.execute(
                "SELECT e.reference, COUNT(ev.id) FROM enquiries_enquiry e"
                " LEFT JOIN enquiries_enquiryevent ev"
                " ON ev.enquiry_id = e.id AND ev.kind = 'created' GROUP BY e.reference"
            ).fetchall()
        )


def test_a_stopped_database_answers_503_pages_and_problems_and_the_server_recovers_by_itself(
    cluster, serve, personas, taxonomy
):
    agent = personas["agent"]
    agent.language = "da"
    agent.save()
    browser = browser_session(agent)
    api = requests.Session()
    api.headers["Authorization"] = f"Token {Token.objects.create(user=agent).key}"
    url, dbname = serve()
    form = browser.get(f"{url}/enquiries/new/", timeout=10)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form.text).group(1)

    cluster.ctl("stop")
    try:
        page = browser.get(f"{url}/enquiries/", timeout=10)
        posted = browser.post(
            f"{url}/enquiries/new/",
            data={
                "csrfmiddlewaretoken": token,
                "idempotency_key": key,
                "subject": "Kan ikke logge på",
                "queue": "x",
            },
            headers={"Referer": f"{url}/enquiries/new/"},
            timeout=10,
        )
        created = api.post(f"{url}/api/v1/enquiries/", json=PAYLOAD, timeout=10)
        ready = requests.get(f"{url}/readyz", timeout=10)
        alive = requests.get(f"{url}/healthz", timeout=10)
    finally:
        cluster.ctl("start")

    # The page: 503, Danish, styled, with Retry-After.
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Intet blev gemt" in page.text and 'class="site-header"' in page.text
    # The form: what was typed comes back, ready to send again.
    assert posted.status_code == 503 and posted.headers["Retry-After"] == "5"
    assert 'name="subject" value="Kan ikke logge på"' in posted.text
    # ... with the form's key, so sending it again cannot log it twice.
    assert f'name="idempotency_key" value="{key}"' in posted.text
    assert "Gem igen" in posted.text
    # The API: an RFC 9457 problem body.
    assert created.status_code == 503 and created.headers["Retry-After"] == "5"
    assert created.headers["Content-Type"] == "application/problem+json"
    assert created.json()["status"] == 503 and created.json()["title"]
    # The balancer takes the node out; it does not kill the process.
    assert ready.status_code == 503 and ready.json()["checks"]["database"]["ok"] is False
    assert alive.status_code == 200

    # Started again: the same server process answers, with no restart.
    assert browser.get(f"{url}/enquiries/", timeout=10).status_code == 200
    again = api.post(f"{url}/api/v1/enquiries/", json=PAYLOAD, timeout=10)
    assert again.status_code == 201, again.text
    assert references(cluster, dbname) == {again.json()["reference"]: 1}


def test_a_restart_under_load_loses_no_acknowledged_enquiry_and_leaves_no_half_row(
    cluster, serve, personas, taxonomy
):
    key = Token.objects.create(user=personas["agent"]).key
    url, dbname = serve()
    outcomes: list[tuple[int, str | None]] = []
    stop = threading.Event()

    def agent_at_work():
        session = requests.Session()
        session.headers["Authorization"] = f"Token {key}"
        while not stop.is_set():
            answer = session.post(f"{url}/api/v1/enquiries/", json=PAYLOAD, timeout=30)
            reference = answer.json().get("reference") if answer.status_code == 201 else None
            outcomes.append((answer.status_code, reference))

    agents = [threading.Thread(target=agent_at_work) for _ in range(4)]
    for thread in agents:
        thread.start()
    time.sleep(2)
    cluster.ctl("restart")
    time.sleep(2)
    stop.set()
    for thread in agents:
        thread.join(timeout=30)

    statuses = {status for status, _ in outcomes}
    acknowledged = {reference for status, reference in outcomes if status == 201}
    stored = references(cluster, dbname)
    # Every answer was a 201 or a 503: no bare 500, nothing else.
    assert statuses <= {201, 503}, statuses
    assert 503 in statuses and acknowledged
    # Every acknowledged enquiry is there. A 503 whose COMMIT reached the
    # server just before the restart may have saved its enquiry (that is
    # why a write is never repeated blindly), but never half of one: every
    # row has its creation event.
    assert acknowledged <= set(stored)
    assert set(stored.values()) == {1}
    # The server recovered by itself: the last answers were 201 again.
    assert outcomes[-1][0] == 201


def terminate(pid: int) -> None:
    """PostgreSQL ends that backend, as a restart or an administrator does."""
    config = connection.settings_dict
    with psycopg.connect(
        dbname=config["NAME"],
        user=config["USER"],
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_read_whose_connection_dies_mid_request_is_read_again(personas, taxonomy):
    """The request's own backend is killed by the server at its second query, once."""
    client = Client(raise_request_exception=False)
    client.force_login(personas["agent"])
    killed = []

    def kill_once(execute, sql, params, many, context):
        if not killed and "enquiries_enquiry" in sql:
            killed.append(sql)
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_once):
        response = client.get("/enquiries/")

    assert killed, "the page read no enquiries"
    assert response.status_code == 200


def test_a_write_whose_connection_dies_is_a_503_and_is_not_repeated(personas, taxonomy):
    client = Client(raise_request_exception=False)
    key = Token.objects.create(user=personas["agent"]).key
    inserts = []

    def kill_at_insert(execute, sql, params, many, context):
        if sql.startswith("INSERT") and "enquiries_enquiry" in sql:
            inserts.append(sql)
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_at_insert):
        response = client.post(
            "/api/v1/enquiries/",
            PAYLOAD,
            content_type="application/json",
            headers={"Authorization": f"Token {key}"},
        )

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert len(inserts) == 1  # never repeated blindly
    assert not Enquiry.objects.exists()
