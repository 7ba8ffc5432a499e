"""Running registered benchmarks and printing their results as Markdown."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from analytics.services import rebuild_topic_shares
from enquiries.models import Citizen, Enquiry, EnquiryEvent
from seed.generator.loader import delete_period, load_report_profile
from seed.generator.profile import PERIOD_END, PERIOD_START, SUPPORT_ENQUIRIES

REPORT_TOTAL = 217_500
# The report profile needs 1,000 support enquiries to print shares to a tenth.
SMALLEST_SIZE = 1_000
BENCH_AGENT = "agent"
BENCH_MANAGER = "manager"


class Skip(Exception):
    """A benchmark that cannot run here yet (e.g. its page is not on main)."""


@dataclass
class Context:
    """What the benchmarks of one size share: the data and signed-in users."""

    size: int
    agent: User
    client: Client
    sample: Enquiry
    manager_client: Client | None = None


@dataclass
class Timed:
    """What a benchmark returns when each run needs untimed work around it.

    `before` runs untimed ahead of every timed `run`, `after` untimed after
    it (e.g. set up 10,000 breaches, then roll them back).
    """

    run: Callable[[], object]
    before: Callable[[], object] = lambda: None
    after: Callable[[], object] = lambda: None


@dataclass
class Benchmark:
    name: str
    target: str
    prepare: Callable[[Context], Callable[[], object]]


@dataclass
class Result:
    median_ms: float | None = None
    runs: int = 0
    queries: int | None = None
    note: str = ""


@dataclass
class Report:
    sizes: list[int]
    repeat: int
    loads: dict[int, tuple[float, int]] = field(default_factory=dict)
    results: dict[str, dict[int, Result]] = field(default_factory=dict)


BENCHMARKS: list[Benchmark] = []


def benchmark(name: str, *, target: str = "") -> Callable:
    """Register `prepare(ctx) -> run`: setup outside the timing, `run` timed.

    `prepare` may raise Skip to mark the benchmark as not runnable here.
    """

    def register(prepare: Callable[[Context], Callable[[], object]]) -> Callable:
        BENCHMARKS.append(Benchmark(name=name, target=target, prepare=prepare))
        return prepare

    return register


def support_count_for(size: int) -> int:
    """Support enquiries such that the whole profile has about `size`."""
    return max(SMALLEST_SIZE, round(size * SUPPORT_ENQUIRIES / REPORT_TOTAL))


def reset_data() -> None:
    """Empty the enquiry tables: TRUNCATE where there is one, else delete the period."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table)
            for model in (Enquiry, Citizen, EnquiryEvent)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")
    else:
        delete_period()


def load(size: int, *, progress: bool) -> tuple[float, int]:
    """Load the report profile at about `size` enquiries; (seconds, enquiries)."""
    reset_data()
    result = load_report_profile(support_count=support_count_for(size), progress=progress)
    # The snapshots and day summaries the dashboard reads, as the beat's
    # recompute would have left them (untimed: its own benchmark times one
    # month of it).
    rebuild_topic_shares(PERIOD_START, PERIOD_END)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Freshly copied rows have no visibility map yet, and the replaced
        # rows of earlier runs (enquiries, and the summaries every run of
        # the recompute benchmarks rewrites: a million dead rows after a
        # few) are still in the tables: without a vacuum the benchmarks
        # would measure those, not the queries. A few seconds at 1M.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return result.seconds, result.totals.enquiries


def client_for(user: User) -> Client:
    # The settings allow only real host names; the test client's default
    # "testserver" is not one of them.
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def context_for(size: int) -> Context:
    agent = User.objects.get(username=BENCH_AGENT)
    manager = User.objects.filter(username=BENCH_MANAGER).first()
    sample = Enquiry.objects.filter(queue__code="support").order_by("-received_at").first()
    return Context(
        size=size,
        agent=agent,
        client=client_for(agent),
        sample=sample,
        manager_client=client_for(manager) if manager else None,
    )


def measure(bench: Benchmark, ctx: Context, repeat: int) -> Result:
    try:
        prepared = bench.prepare(ctx)
        timed = prepared if isinstance(prepared, Timed) else Timed(run=prepared)
        # Warm-up: caches, prepared plans, first-use imports.
        timed.before()
        try:
            timed.run()
        finally:
            timed.after()
    except Skip as skip:
        return Result(note=str(skip))
    timings = []
    queries = None
    for _ in range(repeat):
        timed.before()
        try:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                timed.run()
                timings.append((time.perf_counter() - started) * 1000)
        finally:
            timed.after()
        queries = len(captured.captured_queries)
    return Result(median_ms=statistics.median(timings), runs=repeat, queries=queries)


def run_suite(
    sizes: list[int],
    *,
    repeat: int = 7,
    progress: bool = False,
    only: list[str] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    report = Report(sizes=sizes, repeat=repeat)
    chosen = [b for b in BENCHMARKS if not only or any(o in b.name.lower() for o in only)]
    for size in sizes:
        log(f"Loading about {size:,} enquiries ...")
        report.loads[size] = load(size, progress=progress)
        ctx = context_for(size)
        for bench in chosen:
            log(f"  {bench.name}")
            report.results.setdefault(bench.name, {})[size] = measure(bench, ctx, repeat)
    return report


def machine() -> list[tuple[str, str]]:
    """The facts a reader needs to compare figures across machines."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            kib = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    import django

    return [
        ("Machine", f"{platform.machine()}, {cpu}, {os.cpu_count()} cores, {memory} RAM"),
        ("Database", database),
        ("Software", f"Python {platform.python_version()}, Django {django.get_version()}"),
        ("Date", time.strftime("%Y-%m-%d %H:%M %Z")),
        # Other work on the machine slows every figure; say how much there was.
        ("Load average at the end", " ".join(f"{load:.2f}" for load in os.getloadavg())),
    ]


def _cell(result: Result | None) -> str:
    if result is None:
        return ""
    if result.median_ms is None:
        return f"skipped: {result.note}"
    queries = "" if result.queries is None else f", {result.queries} q"
    if result.median_ms >= 1000:
        return f"{result.median_ms / 1000:.2f} s{queries}"
    return f"{result.median_ms:.1f} ms{queries}"


def write_markdown(report: Report, out: TextIO, *, command: str = "") -> None:
    """The results as a Markdown table with the machine they ran on."""
    if command:
        out.write(f"Command: `{command}`\n\n")
    for label, value in machine():
        out.write(f"- {label}: {value}\n")
    out.write(
        f"\nMedian of {report.repeat} timed runs after one warm-up; `q` is the number "
        "of SQL queries of one run.\n\n"
    )
    sizes = report.sizes
    out.write("| Benchmark | Target | " + " | ".join(f"{s:,}" for s in sizes) + " |\n")
    out.write("|---|---|" + "---|" * len(sizes) + "\n")
    loads = []
    for size in sizes:
        seconds, count = report.loads[size]
        loads.append(f"{seconds:.1f} s ({count / seconds:,.0f}/s)")
    out.write(
        "| Demo-data load (enquiries, citizens, timelines) | report profile < 30 s | "
        + " | ".join(loads)
        + " |\n"
    )
    for bench in BENCHMARKS:
        results = report.results.get(bench.name)
        if results is None:
            continue
        cells = " | ".join(_cell(results.get(size)) for size in sizes)
        out.write(f"| {bench.name} | {bench.target} | {cells} |\n")


def in_rolled_back_transaction(action: Callable[[], object]) -> Callable[[], object]:
    """Time `action` without keeping its writes (nor its on-commit work)."""

    def run() -> None:
        with transaction.atomic():
            action()
            transaction.set_rollback(True)

    return run
