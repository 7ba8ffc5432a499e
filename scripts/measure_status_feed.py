"""Requests per second of /status/feed.json from one process.

    .venv/bin/python scripts/measure_status_feed.py [seconds]

Builds a throw-away SQLite database in a temporary folder (the project's
own databases are not touched), publishes one incident with three updates,
then calls the project's WSGI application (what a server's worker calls:
every middleware, the project's cache backend) in a loop: plain GETs, then
conditional GETs with the ETag (what a polling bank sends), the Atom feed
and the status page. No network and no HTTP parsing: the figure is the
application's cost per request, the ceiling of one worker process.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rate(app, path: str, seconds: float, headers: dict | None = None) -> tuple[float, str]:
    """Calls per second of the WSGI application for GET `path`."""
    import io

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "status.example",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.errors": sys.stderr,
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()},
    }
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"] = status

    count = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        body = app({**environ, "wsgi.input": io.BytesIO()}, start_response)
        b"".join(body)
        body.close()
        count += 1
    return count / seconds, seen["status"]


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    folder = tempfile.mkdtemp(prefix="nemid-feed-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/feed.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nemid_cases.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from notices import services

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    services.add_standard_text_version("login-down", text_da="Log-in er nede.", text_en="Down.")
    incident = services.publish_incident(
        title_da="Log-in er nede",
        title_en="Log-in is down",
        services=["login", "netbank_login"],
        severity="outage",
        started_at=timezone.now(),
        text_code="login-down",
        by=None,
    )
    for _n in range(2):
        services.post_incident_update(incident, text_code="login-down", by=None)

    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    first = Client().get("/status/feed.json")
    print(f"feed: {len(first.content)} bytes, cache {settings.CACHES['default']['BACKEND']}")
    for label, path, headers in [
        ("GET /status/feed.json", "/status/feed.json", None),
        ("GET /status/feed.json, If-None-Match (304)", "/status/feed.json",
         {"if-none-match": first["ETag"]}),
        ("GET /status/feed.atom", "/status/feed.atom", None),
        ("GET /status/ (page, HTML cached per language)", "/status/", None),
    ]:  # fmt: skip
        per_second, status = rate(app, path, seconds, headers)
        print(f"{label}: {per_second:,.0f} req/s (status {status})")


if __name__ == "__main__":
    main()
