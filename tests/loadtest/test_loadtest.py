"""`make loadtest` at small scale, for correctness only (issue 11; not timed).

The real thing: gunicorn with the production settings on loopback, locust
headless with every scenario's people, on a fresh SQLite database holding
the report profile at 1,000 enquiries. With --smoke every user runs each of
its tasks once, so every route of every scenario is exercised and must
answer as a person expects (a page, a redirect after a form, 201 on create);
any failed request or exception in the people's code fails the run.
"""

import re
import subprocess
import sys

import pytest

from tests.browser.live import ROOT

# Runs once in CI, in the SQLite pass: the database does not change what it tests.
pytestmark = [pytest.mark.once_sqlite, pytest.mark.xdist_group("loadtest")]

ROUTES = {
    "agents": [
        "GET enquiry list",
        "GET enquiry detail",
        "POST add note",
        "GET search",
        "GET log enquiry form",
        "POST log enquiry",
        "GET enquiry list (new)",
        "POST bulk triage",
    ],
    "managers": ["GET dashboard", "GET drill-down", "GET export (csv)"],
    "api": ["GET api: enquiry list", "GET api: enquiry detail", "POST api: create enquiry"],
    "list": ["GET enquiry list (saturation)"],
}
ROW = re.compile(r"^\| (?P<route>[^|]+?) \| (?P<requests>\d+) \| (?P<failures>\d+) \|", re.M)


def test_every_scenario_runs_clean_against_gunicorn(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.load",
            f"--database-url=sqlite:///{tmp_path / 'load.sqlite3'}",
            f"--out={tmp_path}",
            "--size=1000",
            "--agents=6",
            "--managers=2",
            "--api-clients=2",
            "--list-readers=2",
            "--duration=20",
            "--think=0.5-1",
            "--workers=2",
            "--smoke",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    tables = dict(zip(ROUTES, re.split(r"^#### ", run.stdout, flags=re.M)[1:], strict=True))
    for scenario, routes in ROUTES.items():
        rows = {row["route"]: row for row in ROW.finditer(tables[scenario])}
        for route in routes:
            assert route in rows, (scenario, route, tables[scenario])
            assert int(rows[route]["requests"]) > 0, (scenario, route)
            assert rows[route]["failures"] == "0", (scenario, route)
