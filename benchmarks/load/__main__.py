"""`python -m benchmarks.load`: gunicorn on loopback under locust (`make loadtest`).

1. The database: the benchmarks' PostgreSQL database (as `make bench`:
   BENCH_DATABASE_URL, else nemid_bench on DATABASE_URL's server) or
   `--database-url`; migrated, and loaded with the report profile at
   `--size` enquiries unless it holds that many already (within 2 %).
2. The people (benchmarks/load/people.py): numbered agents, team leads,
   managers and API clients with one password.
3. gunicorn with the production settings (DEBUG off, a fresh secret key) on
   a free loopback port; nothing else is ever the target.
4. Everyone signs in through the login form before locust starts, as many
   at a time as gunicorn has workers (a sign-in hashes a password; a floor
   does it once a morning), so no request of the run queues behind one.
5. locust, headless, once per scenario: "agents" (agents and team leads),
   "managers", "api", and "list" (agents asking for their list again as
   soon as it answers: its saturation throughput). The people start
   over one think time (a floor's arrivals, not one burst); the
   statistics are reset when the last has started, and `--duration`
   seconds are measured from then.
6. A Markdown table per scenario (requests, failures, req/s, p50/p95/p99
   per route) with the machine's load; `--record` appends it to
   docs/benchmarks.md. The exit status is 1 if any request failed.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import timeit
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {
    "agents": ["Agent", "TeamLead"],
    "managers": ["Manager"],
    "api": ["ApiClient"],
    "list": ["ListReader"],
}
RECORD_HEADING = "### Recorded runs"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def calibration_us() -> float:
    """The same CPU-bound loop as docs/benchmarks.md's calibration column."""
    return min(timeit.repeat("sum(range(10000))", number=1000, repeat=5)) * 1000


def prepare_database(url: str, size: int, people: dict) -> tuple[int, dict]:
    """Migrate, load if the size differs, create the people; (enquiries, people)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nemid_cases.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.harness import load
    from benchmarks.load.people import prepare
    from enquiries.models import Enquiry

    call_command("migrate", verbosity=0, interactive=False)
    count = Enquiry.objects.count()
    if abs(count - size) > size * 0.02:
        print(f"Loading the report profile at {size:,} enquiries ...", file=sys.stderr)
        _seconds, count = load(size, progress=True)
    accounts = prepare(**people)
    connections.close_all()
    return count, accounts


def server_environment(url: str, var_dir: Path) -> dict[str, str]:
    for folder in ("celery/queue", "celery/control", "media"):
        (var_dir / folder).mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "nemid_cases.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "NEMID_VAR_DIR": str(var_dir),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "filesystem://"),
        # The web tier's setting in production (docs/operations.md).
        "DB_SERVER_SIDE_BINDING": os.environ.get("DB_SERVER_SIDE_BINDING", "true"),
    }


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    import requests

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "nemid_cases.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--timeout=60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")


def sign_in_everyone(host: str, accounts: dict, password: str, parallel: int) -> dict:
    """Each person's cookies after signing in through the login form, by role.

    A sign-in hashes a password (a deliberately slow step, 0.1-0.3 s of CPU).
    Done inside the run, 270 of them queued every page behind them for the
    first minutes; here they are done before it, `parallel` at a time.
    """
    import requests

    from benchmarks.load.forms import form

    def sign_in(username: str) -> dict:
        session = requests.Session()
        page = session.get(f"{host}/accounts/login/", timeout=120)
        fields = form(page.text, "/accounts/login/", "/accounts/login/")
        fields |= {"username": username, "password": password}
        answer = session.post(
            f"{host}/accounts/login/", data=fields, allow_redirects=False, timeout=120
        )
        if answer.status_code != 302:
            raise SystemExit(f"{username} could not sign in: {answer.status_code}")
        return session.cookies.get_dict()

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return {
            role: list(pool.map(sign_in, usernames))
            for role, usernames in accounts["accounts"].items()
            if role != "api"
        }


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_locust(args, scenario: str, users: int, port: int, out: Path, people: Path) -> list[dict]:
    prefix = out / scenario
    # The people arrive over one think time, so the floor is in its steady
    # state when the last has started and the statistics are reset.
    think_max = float(args.think.split("-")[-1])
    spawn_rate = args.spawn_rate or max(1.0, users / think_max)
    arriving = int(users / spawn_rate) + 1
    env = os.environ | {
        "LOADTEST_PEOPLE": str(people),
        "LOADTEST_SESSIONS": str(out / "sessions.json"),
        "LOADTEST_THINK": args.think,
        "LOADTEST_SMOKE": "1" if args.smoke else "",
        "LOADTEST_LEADS": str(len(json.loads(people.read_text())["accounts"]["teamlead"])),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "--locustfile",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={spawn_rate}",
            f"--run-time={arriving + args.duration}",
            f"--host=http://127.0.0.1:{port}",
            f"--csv={prefix}",
            "--reset-stats",
            "--only-summary",
            "--stop-timeout=10",
            "--loglevel=WARNING",
            *SCENARIOS[scenario],
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    # An exception in a user's code (a page that no longer has its form)
    # is a failure of the run even though no request failed.
    with open(f"{prefix}_exceptions.csv", newline="", encoding="utf-8") as raised:
        for row in csv.DictReader(raised):
            rows.insert(
                -1,
                {
                    "Type": "exception",
                    "Name": row["Message"][:80],
                    "Request Count": row["Count"],
                    "Failure Count": row["Count"],
                    "Requests/s": "0",
                    "50%": "",
                    "95%": "",
                    "99%": "",
                },
            )
    return rows


def markdown(scenario: str, users: int, rows: list[dict], meta: dict) -> str:
    lines = [
        f"#### {scenario}: {users} users, {meta['duration']} s, "
        f"{meta['enquiries']:,} enquiries, {meta['database']}, {meta['workers']} gunicorn workers "
        f"({meta['date']})",
        "",
        f"Machine: {meta['machine']}; load average before {meta['load_before']}, after "
        f"{meta['load_after']}; calibration {meta['calibration']:.0f} µs; "
        + ("no think time." if scenario == "list" else f"think time {meta['think']} s."),
        "",
        "| route | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    return "\n".join(lines) + "\n"


def record(text: str, path: Path) -> None:
    """Add `text` at the end of the "Recorded runs" section, not the file's."""
    content = path.read_text(encoding="utf-8")
    if RECORD_HEADING not in content:
        raise SystemExit(f"{path} has no '{RECORD_HEADING}' section to record in")
    start = content.index(RECORD_HEADING) + len(RECORD_HEADING)
    end = content.find("\n## ", start)
    end = len(content) if end == -1 else end
    section = content[start:end].rstrip("\n")
    path.write_text(
        content[:start] + section + "\n\n" + text.rstrip("\n") + "\n" + content[end:],
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="enquiries (default 1M)")
    parser.add_argument("--database-url", help="default: the benchmarks' database")
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--agents", type=int, default=270, help="users of 'agents'")
    parser.add_argument("--managers", type=int, default=10, help="users of 'managers'")
    parser.add_argument("--api-clients", type=int, default=10, help="users of 'api'")
    parser.add_argument(
        "--list-readers", type=int, default=16, help="users of 'list' (4 per gunicorn worker)"
    )
    parser.add_argument("--duration", type=int, default=180, help="seconds per scenario")
    parser.add_argument("--think", default="5-10", help="think time range in seconds")
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=0,
        help="people starting per second (default: all within one think time)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--smoke", action="store_true", help="every user runs each task once first (CI)"
    )
    parser.add_argument("--out", default=str(ROOT / "var" / "loadtest"), help="work folder")
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args(argv)

    from benchmarks.__main__ import bench_database_url, create_database_if_missing

    url = args.database_url or bench_database_url()
    if url.startswith(("postgres://", "postgresql://")):
        create_database_if_missing(url)
    leads = max(1, args.agents // 27)
    people = {
        "agents": args.agents - leads,
        "leads": leads,
        "managers": args.managers,
        "api_clients": args.api_clients,
    }
    enquiries, accounts = prepare_database(url, args.size, people)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    people_file = out / "people.json"
    people_file.write_text(json.dumps(accounts), encoding="utf-8")

    port = free_port()
    server = start_server(server_environment(url, out), port, args.workers, out / "gunicorn.log")
    scenarios = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    sizes = {
        "agents": args.agents,
        "managers": args.managers,
        "api": args.api_clients,
        "list": args.list_readers,
    }
    failures = 0
    try:
        started = time.monotonic()
        sessions = sign_in_everyone(
            f"http://127.0.0.1:{port}", accounts, accounts["password"], args.workers
        )
        (out / "sessions.json").write_text(json.dumps(sessions), encoding="utf-8")
        print(
            f"{sum(map(len, sessions.values()))} people signed in in "
            f"{time.monotonic() - started:.0f} s",
            file=sys.stderr,
        )
        for scenario in scenarios:
            meta = {
                "date": datetime.date.today().isoformat(),
                "duration": args.duration,
                "enquiries": enquiries,
                "database": url.split(":", 1)[0].replace("postgres", "PostgreSQL"),
                "workers": args.workers,
                "machine": f"{platform.processor() or platform.machine()}, "
                f"{os.cpu_count()} cores, Python {platform.python_version()}",
                "load_before": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
                "calibration": calibration_us(),
                "think": args.think,
            }
            rows = run_locust(args, scenario, sizes[scenario], port, out, people_file)
            meta["load_after"] = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
            text = markdown(scenario, sizes[scenario], rows, meta)
            print(text)
            if args.record:
                record(text, ROOT / "docs" / "benchmarks.md")
            failures += sum(
                int(row["Failure Count"]) for row in rows if row["Name"] != "Aggregated"
            )
    finally:
        stop(server)
    if failures:
        print(f"{failures} requests failed: see {out}/*_failures.csv", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
