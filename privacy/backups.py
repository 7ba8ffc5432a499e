"""Backups of the whole database and restoring one (`make backup`, `make restore`).

PostgreSQL: `pg_dump --format=custom` (every table, sequence and index,
compressed) and `pg_restore --clean --if-exists --single-transaction`, so a
restore either replaces everything or nothing. SQLite: the online backup
API (`sqlite3.Connection.backup`), a consistent copy even while the app
writes (WAL mode), and the same API back into the database file.

A backup holds the CPR numbers only encrypted: it is readable only with the
keys in `.env` (CPR_ENCRYPTION_KEYS, CPR_HASH_KEY), which are not in it and
must be kept safe separately. `cpr_readability()` checks a restored
database against the keys at hand.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from enquiries import cpr

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def engine(settings_dict: dict[str, Any]) -> str:
    vendor = settings_dict["ENGINE"].rsplit(".", 1)[-1]
    if vendor not in ("sqlite3", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def default_path(settings_dict: dict[str, Any], now: datetime.datetime) -> Path:
    suffix = "sqlite3" if engine(settings_dict) == "sqlite3" else "dump"
    return Path(settings.BACKUP_DIR) / f"nemid-{now:%Y%m%d-%H%M%S}.{suffix}"


def _private(path: Path) -> None:
    # Personal data (and encrypted CPR numbers): readable by the owner only.
    path.chmod(0o600)


def backup(path: Path, *, settings_dict: dict[str, Any] | None = None) -> Path:
    """Write a backup of the database to `path` (refused if it exists)."""
    settings_dict = settings_dict or connections["default"].settings_dict
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already; choose another file.")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if engine(settings_dict) == "sqlite3":
        _sqlite_copy(Path(settings_dict["NAME"]), path)
    else:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path)],
            settings_dict,
        )
        # Proves the archive is complete and readable.
        _run(["pg_restore", "--list", str(path)], settings_dict, database=False)
    _private(path)
    return path


def restore(path: Path, *, settings_dict: dict[str, Any] | None = None) -> None:
    """Replace the database's content with the backup at `path`, all or nothing."""
    settings_dict = settings_dict or connections["default"].settings_dict
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with path.open("rb") as file:
        head = file.read(16)
    vendor = engine(settings_dict)
    if vendor == "sqlite3":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite backup (the database is SQLite).")
        for alias in connections:
            connections[alias].close()
        _sqlite_copy(path, Path(settings_dict["NAME"]))
    else:
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{path} is not a pg_dump archive (the database is PostgreSQL).")
        for alias in connections:
            connections[alias].close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            settings_dict,
        )


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy page by page with SQLite's online backup API, then check the copy."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)
        (result,) = dst.execute("PRAGMA quick_check").fetchone()
    src.close()
    dst.close()
    if result != "ok":
        raise BackupError(f"The copy in {target} is damaged: {result}")


def _run(args: list[str], settings_dict: dict[str, Any], *, database: bool = True) -> None:
    """Run a PostgreSQL client tool against the database of `settings_dict`."""
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"{args[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    connection_args = []
    if database:
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings_dict.get(key):
                connection_args += [flag, str(settings_dict[key])]
        connection_args += ["--dbname", str(settings_dict["NAME"])]
    result = subprocess.run(  # noqa: S603 (fixed tools, arguments from settings)
        [args[0], *connection_args, *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()[-2000:]}")


def cpr_readability(using: str = "default") -> tuple[int, int]:
    """(readable, unreadable): stored CPR numbers that CPR_ENCRYPTION_KEYS decrypt.

    Read with plain SQL in batches, so it works on any restored database
    that has the citizen table; nothing is written or logged.
    """
    readable = unreadable = 0
    last = 0
    with connections[using].cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, cpr_ciphertext FROM enquiries_citizen "
                "WHERE id > %s AND cpr_ciphertext <> '' ORDER BY id LIMIT 1000",
                [last],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            for pk, token in rows:
                last = pk
                try:
                    cpr.fernet().decrypt(token.encode())
                except (InvalidToken, ImproperlyConfigured):
                    unreadable += 1
                else:
                    readable += 1
    return readable, unreadable
