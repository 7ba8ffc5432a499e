"""Backup and restore: every row back, every CPR number readable with the keys.

Transactional tests: the backup tools read the database from outside the
test's connection, so the rows must be committed. Each engine is tested
when the suite runs on it (CI runs both): SQLite restores into a fresh
file, PostgreSQL into a fresh database created for the test.
"""

from __future__ import annotations

import datetime
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from analytics.services import rebuild_topic_shares
from enquiries import cpr
from enquiries import services as enquiry_services
from enquiries.models import Citizen, Enquiry
from privacy import backups, services
from privacy.models import RetentionPolicy
from tests.factories import (
    CitizenFactory,
    KpiReadingFactory,
    MeetingFactory,
    RecommendationFactory,
)
from tests.privacy.conftest import closed_enquiry

pytestmark = pytest.mark.django_db(transaction=True)

CPRS = ["1106821449", "0101801234", "3112992345", "0707071234", "2902801234"]
SQLITE = connection.vendor == "sqlite"
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(taxonomy, personas):
    """Rows in most tables: citizens with CPR numbers, cases, logs, stakeholders."""
    support = taxonomy["support"]
    citizens = [CitizenFactory(name=f"Borger {n}", cpr=number) for n, number in enumerate(CPRS)]
    for citizen in citizens:
        closed_enquiry(support, personas["agent"], citizen=citizen)
    enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Åben", citizen=citizens[0]
    )
    enquiry_services.reveal_cpr(citizens[1], by=personas["team_lead"], reason="Identitet")
    services.export_citizen_data(citizens[2], by=personas["secretariat"], reason="Brev")
    RetentionPolicy.objects.create(retain_days=365)
    RecommendationFactory(meeting=MeetingFactory())
    KpiReadingFactory()
    today = timezone.localdate()
    rebuild_topic_shares(today - datetime.timedelta(days=7), today)
    return citizens


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", *args], cwd=BASE_DIR, capture_output=True, text=True, check=False, timeout=60
    )


def tables() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def content(cursor, names: list[str]) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    quote = connection.ops.quote_name
    found = {}
    for name in names:
        cursor.execute(f"SELECT * FROM {quote(name)}")  # noqa: S608 (introspected names)
        found[name] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return found


def source_content() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        return content(cursor, tables())


def decrypt_all(cursor) -> set[str]:
    cursor.execute("SELECT cpr_ciphertext FROM enquiries_citizen WHERE cpr_ciphertext <> ''")
    return {cpr.decrypt_cpr(token) for (token,) in cursor.fetchall()}


def assert_same(restored: dict, source: dict) -> None:
    assert sorted(restored) == sorted(source)
    counts = {name: len(rows) for name, rows in source.items()}
    assert {name: len(rows) for name, rows in restored.items()} == counts
    assert sum(counts.values()) > 200 and sum(1 for n in counts.values() if n) >= 25
    for name in source:
        assert restored[name] == source[name], name


@pytest.mark.skipif(not SQLITE, reason="the SQLite backup runs when the suite runs on SQLite")
def test_a_sqlite_backup_restores_into_a_fresh_file_with_every_row_and_cpr(data, tmp_path):
    path = tmp_path / "backup.sqlite3"
    call_command("backup_database", output=path)
    fresh = tmp_path / "fresh.sqlite3"

    backups.restore(path, settings_dict={**connection.settings_dict, "NAME": str(fresh)})

    # Both read the same way (Django's cursor would convert some types).
    with sqlite3.connect(connection.settings_dict["NAME"]) as source:
        expected = content(source.cursor(), tables())
    source.close()
    with sqlite3.connect(fresh) as restored:
        cursor = restored.cursor()
        assert_same(content(cursor, tables()), expected)
        assert decrypt_all(cursor) == set(CPRS)
    restored.close()
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def _pg_admin(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


@pytest.mark.skipif(SQLITE, reason="the PostgreSQL backup runs when the suite runs on it")
def test_a_postgresql_backup_restores_into_a_fresh_database_with_every_row_and_cpr(data, tmp_path):
    import psycopg
    from psycopg import sql

    path = tmp_path / "backup.dump"
    call_command("backup_database", output=path)
    settings_dict = connection.settings_dict
    fresh = f"{settings_dict['NAME']}_restore"
    with _pg_admin(settings_dict) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    sequences = "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"

    def read(name: str) -> tuple[dict, list, set]:
        # Both databases read the same way (Django's cursor returns JSON as text).
        with psycopg.connect(
            dbname=name,
            host=settings_dict.get("HOST") or None,
            port=settings_dict.get("PORT") or None,
            user=settings_dict.get("USER") or None,
            password=settings_dict.get("PASSWORD") or None,
        ) as db:
            cursor = db.cursor()
            rows = content(cursor, tables())
            cursor.execute(sequences)
            return rows, cursor.fetchall(), decrypt_all(cursor)

    try:
        backups.restore(path, settings_dict={**settings_dict, "NAME": fresh})
        rows, sequence_values, numbers = read(fresh)
        expected_rows, expected_sequences, _numbers = read(settings_dict["NAME"])
        assert_same(rows, expected_rows)
        assert sequence_values == expected_sequences
        assert numbers == set(CPRS)
    finally:
        with _pg_admin(settings_dict) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh))
            )


def test_restore_brings_the_database_back_to_the_backup(data, tmp_path, personas):
    path = tmp_path / ("backup.sqlite3" if SQLITE else "backup.dump")
    call_command("backup_database", output=path)
    before = source_content()
    services.erase_citizen(data[1], by=personas["admin"], reason="Bad om sletning")
    CitizenFactory(name="Efter backup", cpr="0202021234")
    Enquiry.objects.filter(status="new").delete()

    call_command("restore_database", path, interactive=False)

    assert source_content() == before
    assert set(Citizen.objects.values_list("name", flat=True)) == {f"Borger {n}" for n in range(5)}
    assert Citizen.objects.with_cpr(CPRS[1]).get().reveal_cpr() == "010180-1234"


def test_restore_asks_first_and_a_no_changes_nothing(data, tmp_path, monkeypatch):
    path = tmp_path / ("backup.sqlite3" if SQLITE else "backup.dump")
    call_command("backup_database", output=path)
    CitizenFactory(name="Efter backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore_database", path)

    assert Citizen.objects.filter(name="Efter backup").exists()


def test_restore_refuses_a_file_that_is_no_backup_of_this_engine(data, tmp_path):
    wrong = tmp_path / "notes.txt"
    wrong.write_text("Notes from the meeting, not a backup")

    with pytest.raises(CommandError, match=r"is not an? "):
        call_command("restore_database", wrong, interactive=False)

    assert Citizen.objects.count() == len(CPRS)


def test_a_backup_never_overwrites_a_file(data, tmp_path):
    existing = tmp_path / "taken"
    existing.write_text("keep me")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup_database", output=existing)

    assert existing.read_text() == "keep me"


def test_restore_with_other_keys_says_the_numbers_cannot_be_read(data, tmp_path, settings):
    path = tmp_path / ("backup.sqlite3" if SQLITE else "backup.dump")
    call_command("backup_database", output=path)
    settings.CPR_ENCRYPTION_KEYS = ["Xh1n5MUNYJ4Wkq4pxQ3vxVh2xwJ5l8c6nFS2c0n1Q9A="]

    with pytest.raises(CommandError, match="5 CPR numbers do not decrypt"):
        call_command("restore_database", path, interactive=False)


def test_make_backup_and_restore_call_the_commands(tmp_path):
    target = tmp_path / "x.dump"

    planned = make("-n", "backup", f"FILE={target}")
    refused = make("-s", "restore")

    assert f'manage.py backup_database --output "{target}"' in planned.stdout
    assert refused.returncode == 2 and "Usage: make restore FILE=" in refused.stdout
