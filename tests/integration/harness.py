"""Real processes against the test database: a Celery worker, a crashing sweep.

The fixtures built on these live in tests/integration/fixtures.py; a test
folder's conftest.py imports the ones it needs:
- `broker`: the test process publishes to a private filesystem broker whose
  messages a test can read back (task name, queue, arguments);
- `worker_broker`: the broker a real worker should use: the configured
  Redis in the PostgreSQL run (CELERY_BROKER_URL) under a key prefix of
  its own, else a private filesystem folder;
- `celery_worker_process`: a running `celery -A nemid_cases worker` on the
  test database and its own broker, started once per test module and
  stopped after it. Tests that use it must be `django_db(transaction=True)`
  so the worker sees their rows; poll for the outcome with
  `worker.wait_for(condition)`. E-mail the worker sends during the test is
  read back with `worker.sent_mails()`.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from nemid_cases.celery import app
from nemid_cases.queueing import relay

BASE_DIR = Path(settings.BASE_DIR)
QUEUES = ("default", "escalation", "statistics", "notifications")


def database_url() -> str:
    """A DATABASE_URL for the database this test process is using."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    user = quote(config.get("USER") or "")
    password = quote(config.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = config.get("HOST") or "127.0.0.1"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{config['NAME']}"


@dataclass
class Broker:
    """Where the test process (and any worker it starts) sends tasks."""

    url: str
    transport_options: dict
    folder: Path | None = None

    def env(self) -> dict[str, str]:
        values = {"CELERY_BROKER_URL": self.url}
        if self.folder is not None:
            values["CELERY_FILESYSTEM_DIR"] = str(self.folder)
        if self.transport_options.get("global_keyprefix"):
            values["CELERY_BROKER_KEY_PREFIX"] = self.transport_options["global_keyprefix"]
        return values

    def published(self) -> list[dict]:
        """Messages waiting in a filesystem broker: task, queue, args.

        kombu names each file by the millisecond it was written and a random
        uuid, so two messages of one commit often share the millisecond and
        come back in either order: compare with `tasks()` or membership, never
        by position.
        """
        assert self.folder is not None, "only a filesystem broker can be read back"
        messages = []
        for path in sorted((self.folder / "queue").glob("*.msg")):
            payload = json.loads(path.read_bytes())
            body = json.loads(base64.b64decode(payload["body"]))
            messages.append(
                {
                    "task": payload["headers"]["task"],
                    "queue": path.name.split(".", 1)[1].removesuffix(".msg"),
                    "args": body[0],
                    "kwargs": body[1],
                }
            )
        return messages

    def tasks(self) -> list[tuple[str, str]]:
        """(task, queue) of each waiting message, in a stable order."""
        return sorted((message["task"], message["queue"]) for message in self.published())


def filesystem_broker(folder: Path) -> Broker:
    for name in ("queue", "control"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return Broker(
        url="filesystem://",
        transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
            "max_retries": 0,
        },
        folder=folder,
    )


def redis_broker(url: str) -> Broker:
    """The Redis database at `url`, in a key namespace of its own.

    Other test processes (parallel pytest workers, browser tests) publish
    to the same database; the prefix keeps their tasks and this broker's
    apart, so a worker never runs a task meant for another test database.
    """
    return Broker(
        url=url,
        transport_options={
            **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "global_keyprefix": f"test-{uuid.uuid4().hex[:12]}:",
        },
    )


def forget(broker: Broker) -> None:
    """Delete a Redis broker's keys (a filesystem broker's folder is tmp)."""
    prefix = broker.transport_options.get("global_keyprefix")
    if broker.folder is not None or not prefix:
        return
    import redis

    client = redis.Redis.from_url(broker.url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _drop_connections() -> None:
    # kombu keeps one pool per broker URL and options in a global registry;
    # forgetting the app's references makes it look up the new broker's.
    app._pool = None
    app.amqp._producer_pool = None
    # A new broker starts with the relay's circuit closed.
    relay.reset()


@contextlib.contextmanager
def use_broker(broker: Broker) -> Iterator[Broker]:
    """Point this process's Celery app at `broker` for the duration."""
    saved = app.conf.broker_url, app.conf.broker_transport_options
    # Celery prefers the CELERY_BROKER_URL environment variable to its
    # configuration, so that must change too.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    _drop_connections()
    os.environ["CELERY_BROKER_URL"] = broker.url
    app.conf.broker_url = broker.url
    app.conf.broker_transport_options = broker.transport_options
    try:
        yield broker
    finally:
        _drop_connections()
        app.conf.broker_url, app.conf.broker_transport_options = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env


@contextlib.contextmanager
def hung_server() -> Iterator[int]:
    """A port on loopback that accepts connections and never answers.

    The kernel completes the handshake for a listening socket that is never
    accept()ed, so a client connects at once, and then waits for a reply
    until its own timeout: a broker (or database) that hangs.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(128)
        yield server.getsockname()[1]


def purge(broker: Broker) -> None:
    """Drop messages left in the worker queues by earlier runs."""
    with app.connection_for_write() as conn:
        for queue in QUEUES:
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(queue)


def process_env(broker: Broker, **extra: str) -> dict[str, str]:
    """Environment for a child process on the test database and `broker`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nemid_cases.settings",
        "PYTHONPATH": str(BASE_DIR),
        "DATABASE_URL": database_url(),
        "CPR_ENCRYPTION_KEYS": ",".join(settings.CPR_ENCRYPTION_KEYS),
        "CPR_HASH_KEY": settings.CPR_HASH_KEY,
        "LOG_LEVEL": "INFO",
        **broker.env(),
    }
    if broker.folder is None:
        env.pop("CELERY_FILESYSTEM_DIR", None)
    env.update(extra)
    return env


def read_mails(folder: Path) -> list[str]:
    """Messages written by Django's file-based mail backend into `folder`."""
    separator = "-" * 79
    messages = []
    for path in sorted(folder.glob("*.log")):
        messages += [m.strip() for m in path.read_text().split(separator) if m.strip()]
    return messages


@dataclass
class WorkerProcess:
    """A `celery worker` child process; `wait_for` polls a condition."""

    broker: Broker
    log_path: Path
    mail_dir: Path
    queues: tuple[str, ...] = QUEUES
    # "solo" (one process, no fork) starts and stops quickest; "prefork"
    # has pool processes that a test can kill.
    pool: str = "solo"
    # What runs `celery`; a wrapper module may patch things first.
    entry: tuple[str, ...] = ("-m", "celery")
    # More `celery worker` options (e.g. an embedded beat) and environment.
    options: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    name: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:8]}@localhost")
    process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> WorkerProcess:
        command = [
            sys.executable,
            *self.entry,
            "-A",
            "nemid_cases",
            "worker",
            "--loglevel=INFO",
            f"--pool={self.pool}",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={self.name}",
            f"--queues={','.join(self.queues)}",
            *self.options,
        ]
        env = process_env(
            self.broker,
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            **self.environment,
        )
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.wait_for(lambda: "ready." in self.output(), timeout=timeout, what="worker ready")
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(
        self, condition: Callable[[], object], *, timeout: float = 30, what: str = "condition"
    ) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"The worker exited early:\n{self.output()[-4000:]}")
            time.sleep(0.2)
        raise AssertionError(f"Timed out waiting for {what}:\n{self.output()[-4000:]}")

    def sent_mails(self) -> list[str]:
        """Every message the worker's file-based mail backend wrote."""
        return read_mails(self.mail_dir)

    def forget_mails(self) -> None:
        """Start the next test with an empty outbox folder."""
        for path in self.mail_dir.glob("*.log"):
            path.unlink()

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM: warm shutdown (the running task finishes first).
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()
