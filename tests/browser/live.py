"""A real server process on the demo data, and a crawler for its pages.

`LiveSite.start()` builds a fresh SQLite database with what a newcomer's
`make setup` loads (reference data, the report's data, a small
generate_demo_data profile, seed_demo) and serves it with `runserver`, as
`make run` does, with debug off. The crawler logs in over HTTP and follows
the links of every page it is shown, one page per route.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.fernet import Fernet
from django.urls import Resolver404, resolve

from tests.controls import form_controls

ROOT = Path(__file__).resolve().parents[2]
# The demo users of seed_demo, one per role (README, "Quick start").
ROLES = {
    "agent": "demo-agent-2010",
    "teamlead": "demo-teamlead-2010",
    "secretariat": "demo-secretariat-2010",
    "manager": "demo-manager-2010",
    "admin": "demo-admin-2010",
}
BUILD_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "--no-input", verbosity=0)
call_command("load_reference_data", verbosity=0)
call_command("load_report_data", verbosity=0)
call_command("generate_demo_data", "--profile", "report-2010", "--support-count", "1000",
             "--no-progress", verbosity=0)
call_command("seed_demo", verbosity=0)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveSite:
    """One server process on its own database and var folder."""

    var_dir: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        for folder in ("celery/queue", "celery/control", "media"):
            (self.var_dir / folder).mkdir(parents=True, exist_ok=True)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "PYTEST"))
        }
        return env | {
            "DJANGO_SETTINGS_MODULE": "nemid_cases.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": self.secret_key,
            "NEMID_VAR_DIR": str(self.var_dir),
            "DATABASE_URL": f"sqlite:///{self.var_dir / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "filesystem://",
            "CPR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "CPR_HASH_KEY": secrets.token_urlsafe(32),
        }

    def start(self) -> LiveSite:
        env = self.environment()
        subprocess.run(
            [sys.executable, "-c", BUILD_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=400,
        )
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(self.var_dir / "server.log").open("w"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not start: {self.log()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def log(self) -> str:
        return (self.var_dir / "server.log").read_text(errors="replace")

    def session(self, username: str) -> requests.Session:
        """A session logged in through the login form, as a person does."""
        session = requests.Session()
        form = session.get(f"{self.url}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        answer = session.post(
            f"{self.url}/accounts/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": ROLES[username],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302, (username, answer.status_code)
        return session


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:", "javascript:")):
            self.links.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


# Not crawled: a form's target, Django's admin (not the house pages), the
# API (loaded on purpose by the test), and the PDF (weasyprint is slow; the
# report's tests render it).
SKIP = re.compile(r"^(logout|set_language|login|admin:.*|api:.*|api-.*)$")


@dataclass
class Page:
    url: str
    route: str
    status: int
    headers: dict
    html: str | None

    @property
    def controls(self):
        return form_controls(self.html) if self.html is not None else None


def crawl(session: requests.Session, base: str, extra: list[str] = ()) -> dict[str, Page]:
    """Every route the user can reach by links from "/", one page each."""
    pages: dict[str, Page] = {}
    queue = deque(["/", *extra])
    while queue:
        url = queue.popleft()
        parts = urlsplit(urljoin(base + "/", url))
        if parts.netloc != urlsplit(base).netloc or parts.path.endswith(".pdf"):
            continue
        name = route_name(parts.path)
        if name is None or name in pages or SKIP.match(name):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = session.get(base + path, allow_redirects=False, timeout=60)
        html = response.text if "text/html" in response.headers.get("Content-Type", "") else None
        pages[name] = Page(path, name, response.status_code, dict(response.headers), html)
        if response.status_code in (301, 302):
            queue.appendleft(response.headers["Location"])
        if html:
            queue.extend(links(html))
    return pages


class _InlineCode(HTMLParser):
    """Inline scripts, inline styles and event-handler attributes."""

    DATA_SCRIPTS = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in self.DATA_SCRIPTS:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f'style="{value}" on <{tag}>')
            elif name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            elif name in ("href", "action", "src") and (value or "").startswith("javascript:"):
                self.found.append(f"{name}=javascript: on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found
