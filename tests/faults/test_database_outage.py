"""The database goes away under a running server: 503, never a bare 500.

A gunicorn server reaches PostgreSQL through a loopback proxy that the
test cuts and restores, as a restart of the database does to its clients:
every open connection is reset and new ones are refused for a while. The
server is never restarted. The in-process tests break the request's own
connection at a chosen query with `pg_terminate_backend`, a real server-side
kill.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import psycopg
import pytest
import requests
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from enquiries.models import Enquiry
from tests.browser.live import ROOT, free_port
from tests.faults.proxy import proxy_to

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="cutting a database server needs PostgreSQL (the CI's second run)",
    ),
]

PAYLOAD = {"queue": "support", "subject": "Nøglekort mistet", "channel": "phone"}


def server_env(port: int, secret: str) -> dict[str, str]:
    config = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "nemid_cases.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret,
        "DATABASE_URL": f"postgres://{config['USER']}@127.0.0.1:{port}/{config['NAME']}",
        "CELERY_BROKER_URL": "filesystem://",
        "API_THROTTLE_USER_BURST": "none",
        "API_THROTTLE_USER": "none",
        "API_THROTTLE_WRITES": "none",
    }


@pytest.fixture
def server(tmp_path, settings):
    """gunicorn (2 workers) on the test database, through a proxy to cut."""
    config = connection.settings_dict
    with proxy_to(config.get("HOST") or "127.0.0.1", int(config.get("PORT") or 5432)) as proxy:
        port = free_port()
        log = (tmp_path / "server.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "nemid_cases.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
            cwd=ROOT,
            env=server_env(proxy.port, settings.SECRET_KEY),
            stdout=log,
            stderr=log,
            start_new_session=True,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass  # not listening yet, or still importing
                assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
            yield url, proxy
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


def browser_session(user) -> requests.Session:
    """A requests session carrying a session cookie made for `user`."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.cookies.set("django_language", "da")
    return session


def test_a_cut_database_answers_503_pages_and_problems_and_the_server_recovers_by_itself(
    server, personas, taxonomy
):
    url, proxy = server
    agent = personas["agent"]
    agent.language = "da"
    agent.save()
    browser = browser_session(agent)
    api = requests.Session()
    api.headers["Authorization"] = f"Token {Token.objects.create(user=agent).key}"
    form = browser.get(f"{url}/enquiries/new/", timeout=10)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)

    proxy.cut()
    page = browser.get(f"{url}/enquiries/", timeout=10)
    posted = browser.post(
        f"{url}/enquiries/new/",
        data={"csrfmiddlewaretoken": token, "subject": "Kan ikke logge på", "queue": "x"},
        headers={"Referer": f"{url}/enquiries/new/"},
        timeout=10,
    )
    created = api.post(f"{url}/api/v1/enquiries/", json=PAYLOAD, timeout=10)

    # The page: 503, Danish, styled, with Retry-After, and nothing half-said.
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Intet blev gemt" in page.text and 'class="site-header"' in page.text
    # The form: what was typed comes back, ready to send again.
    assert posted.status_code == 503 and posted.headers["Retry-After"] == "5"
    assert 'name="subject" value="Kan ikke logge på"' in posted.text
    assert "Gem igen" in posted.text
    # The API: an RFC 9457 problem body.
    assert created.status_code == 503 and created.headers["Retry-After"] == "5"
    assert created.headers["Content-Type"] == "application/problem+json"
    assert created.json()["status"] == 503 and created.json()["title"]

    proxy.restore()
    assert browser.get(f"{url}/enquiries/", timeout=10).status_code == 200
    again = api.post(f"{url}/api/v1/enquiries/", json=PAYLOAD, timeout=10)
    assert again.status_code == 201, again.text
    assert Enquiry.objects.count() == 1


def test_a_restart_under_load_loses_no_acknowledged_enquiry_and_leaves_no_half_row(
    server, personas, taxonomy
):
    url, proxy = server
    key = Token.objects.create(user=personas["agent"]).key
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
    time.sleep(1.5)
    proxy.cut()
    time.sleep(1.0)
    proxy.restore()
    time.sleep(1.5)
    stop.set()
    for thread in agents:
        thread.join(timeout=30)

    statuses = {status for status, _ in outcomes}
    acknowledged = {reference for status, reference in outcomes if status == 201}
    # Every answer was a 201 or a 503: no bare 500, nothing else.
    assert statuses <= {201, 503}, statuses
    assert 503 in statuses and acknowledged
    # Every acknowledged enquiry is there. A 503 whose COMMIT reached the
    # server just before the cut may have saved its enquiry (that is why a
    # write is never repeated blindly), but never half of one: every row
    # has its reference and its creation event.
    stored = Enquiry.objects.all()
    assert acknowledged <= {enquiry.reference for enquiry in stored}
    assert all(enquiry.events.filter(kind="created").exists() for enquiry in stored)
    # The server recovered by itself: the last answers were 201 again.
    assert outcomes[-1][0] == 201


def test_a_read_whose_connection_dies_mid_request_is_read_again(personas, taxonomy):
    """The request's own backend is killed by the server at its second query, once."""
    client = Client(raise_request_exception=False)
    client.force_login(personas["agent"])
    config = connection.settings_dict
    killed = []

    def kill_once(execute, sql, params, many, context):
        context["queries"] = context.get("queries", 0)
        if not killed and "enquiries_enquiry" in sql:
            killed.append(sql)
            pid = context["connection"].connection.info.backend_pid
            with psycopg.connect(
                dbname=config["NAME"],
                user=config["USER"],
                host=config.get("HOST") or "127.0.0.1",
                port=config.get("PORT") or 5432,
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_once):
        response = client.get("/enquiries/")

    assert killed, "the page read no enquiries"
    assert response.status_code == 200


def test_a_write_whose_connection_dies_is_a_503_and_is_not_repeated(personas, taxonomy):
    client = Client(raise_request_exception=False)
    key = Token.objects.create(user=personas["agent"]).key
    config = connection.settings_dict
    inserts = []

    def kill_at_insert(execute, sql, params, many, context):
        if sql.startswith("INSERT") and "enquiries_enquiry" in sql:
            inserts.append(sql)
            pid = context["connection"].connection.info.backend_pid
            with psycopg.connect(
                dbname=config["NAME"],
                user=config["USER"],
                host=config.get("HOST") or "127.0.0.1",
                port=config.get("PORT") or 5432,
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
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
