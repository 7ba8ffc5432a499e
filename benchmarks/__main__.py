"""`python -m benchmarks [sizes...] [--quick] [--repeat N] [--only word]`.

Runs on a dedicated database: BENCH_DATABASE_URL if set (PostgreSQL, or
SQLite as `sqlite:////abs/path/bench.sqlite3`), else the server of
DATABASE_URL (when it is PostgreSQL) with the database `nemid_bench`, else
postgres://postgres@127.0.0.1:5432/nemid_bench. The database is created if
missing and migrated; its enquiries are replaced at every size. Progress
goes to stderr, the Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nemid_bench"
BENCH_DATABASE = "nemid_bench"
QUICK_SIZES = [1_000]


def bench_database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    return DEFAULT_URL


def create_database_if_missing(url: str) -> None:
    if url.startswith("sqlite:"):
        return  # SQLite creates the file on the first connection.
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, help="enquiries per size")
    parser.add_argument("--quick", action="store_true", help="one tiny size, one run (smoke)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per benchmark")
    parser.add_argument("--only", action="append", help="run benchmarks whose name has this")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([] if args.quick else [10_000, 100_000, 1_000_000])
    if args.quick:
        sizes, args.repeat = sizes or QUICK_SIZES, 1

    url = bench_database_url()
    create_database_if_missing(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nemid_cases.settings")

    import django

    django.setup()
    from django.conf import settings

    if not settings.CPR_ENCRYPTION_KEYS or not settings.CPR_HASH_KEY:
        # No .env: throw-away keys, good for this benchmark run only.
        from cryptography.fernet import Fernet

        settings.CPR_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
        settings.CPR_HASH_KEY = Fernet.generate_key().decode()
    from django.core.management import call_command

    from benchmarks import suite  # noqa: F401 - registers the benchmarks
    from benchmarks.harness import run_suite, write_markdown

    call_command("migrate", verbosity=0, interactive=False)
    report = run_suite(
        sizes,
        repeat=args.repeat,
        progress=sys.stderr.isatty(),
        only=[word.lower() for word in args.only or []],
        log=lambda message: print(message, file=sys.stderr, flush=True),
    )
    command = "python -m benchmarks " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    write_markdown(report, sys.stdout, command=command.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
