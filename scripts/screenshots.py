"""Screenshots of each role's main pages at 1366x768, for the README.

`make screenshots` runs this after `make setup`: it serves the demo database
on a free loopback port, signs in as each demo user in Debian's Chromium
(Danish, 1366x768) and writes docs/screenshots/*.png, reduced to a
256-colour palette to keep the repository small.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nemid_cases.settings")
django.setup()

from seed.demo.users import demo_password  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
SCREEN = {"width": 1366, "height": 768}
# (file, demo user, address): each role's start page, and the agent's form.
SHOTS = [
    ("agent-enquiries.png", "agent", "/enquiries/"),
    ("agent-log-enquiry.png", "agent", "/enquiries/new/"),
    ("team-lead-deadlines.png", "teamlead", "/enquiries/breaches/"),
    ("secretariat-waiting-on-others.png", "secretariat", "/stakeholders/overview/"),
    # The dashboard of the report's autumn: the same picture whatever today is.
    ("manager-dashboard.png", "manager", "/dashboards/?period=report-2010"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    """runserver on loopback with debug off, as a user would see the pages."""
    env = {**os.environ, "DJANGO_DEBUG": "false"}
    server = subprocess.Popen(  # noqa: S603 - this interpreter and manage.py, no input
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("The server did not start: run `make setup` first.") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not answer on /healthz within a minute.")


def shrink(path: Path) -> None:
    """A palette PNG: a fraction of the size, no visible loss for a UI."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def take(base: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for name, username, address in SHOTS:
            context = browser.new_context(
                viewport=SCREEN, locale="da-DK", timezone_id="Europe/Copenhagen"
            )
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", demo_password(username))
            with page.expect_navigation():
                page.press("#id_password", "Enter")
            page.goto(f"{base}{address}")
            page.wait_for_load_state("networkidle")
            path = OUT / name
            page.screenshot(path=str(path))
            shrink(path)
            written.append(path)
            context.close()
        browser.close()
    return written


def main() -> None:
    port = free_port()
    server = serve(port)
    try:
        for path in take(f"http://127.0.0.1:{port}"):
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
