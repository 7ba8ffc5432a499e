"""Writing generated rows fast: COPY on PostgreSQL, executemany on SQLite.

Both sinks take the same rows (tuples of plain values; times as each
database reads them fastest), so the two databases get identical data. Rows go in with their
generated ids and timestamps; `bulk_create` would replace `created_at` with
today's date. Columns a later migration adds are filled with their model
default, so the generator keeps working as the models grow.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy(cursor, table: Table, rows: list[tuple]) -> None:
    """COPY in binary: half the work of text for both sides, timestamps above all."""
    if not rows:
        return
    if table.type_oids is None:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table.name],
        )
        oids = dict(cursor.fetchall())
        table.type_oids = [oids[column] for column in table.columns]
    defaults = table.defaults
    with cursor.copy(f"{table.copy_sql} (FORMAT BINARY)") as copy:
        copy.set_types(table.type_oids)
        if defaults:
            for row in rows:
                copy.write_row(row + defaults)
        else:
            for row in rows:
                copy.write_row(row)


class BackgroundWriter:
    """Queues writes for one worker thread (or, without one, writes at once).

    `drain()` waits for the queued writes and re-raises their errors.
    """

    def __init__(self, pool: Executor | None, write: Callable[[Table, list[tuple]], None]) -> None:
        self.pool, self.write = pool, write
        self.pending: list[Future] = []

    def submit(self, table: Table, rows: list[tuple] | Callable[[], list[tuple]]) -> None:
        """Write `rows`, or what `rows()` returns when its turn comes."""

        def job() -> None:
            self.write(table, rows() if callable(rows) else rows)

        if self.pool is None:
            job()
        else:
            self.pending.append(self.pool.submit(job))

    def drain(self) -> None:
        pending, self.pending = self.pending, []
        for future in pending:
            future.result()


def _run_deferred_checks(cursor) -> None:
    """Run foreign-key checks still pending in the transaction (they block DDL)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Table:
    """A model's table, the columns the generator fills and defaults for the rest."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.name = model._meta.db_table
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ImproperlyConfigured(f"{self.name} has no columns {sorted(unknown)}.")
        self.columns = [fields[name].column for name in columns]
        self.defaults: tuple[Any, ...] = ()
        self.type_oids: list[int] | None = None  # PostgreSQL's, looked up on first COPY
        for name, field in fields.items():
            if name in columns or field.primary_key or field.db_default is not NOT_PROVIDED:
                continue
            if field.generated:  # the database computes it (Enquiry.search_document)
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = timezone.now()
            else:
                # The model default, or "" for text fields, or None.
                value = field.get_default()
            if value is None and not field.null:
                raise ImproperlyConfigured(
                    f"{self.name}.{field.column} has no default: teach the demo-data "
                    "generator what to put there."
                )
            self.columns.append(field.column)
            self.defaults += (field.get_db_prep_save(value, connection),)
        self.copy_sql = f"COPY {quote(self.name)} ({self.quoted_columns()}) FROM STDIN"

    def quoted_columns(self) -> str:
        return ", ".join(connection.ops.quote_name(column) for column in self.columns)


class SqliteTimes:
    """Times as the UTC text SQLite stores (and compares) datetimes as.

    `epoch()` runs for every timestamp of every row, so it only looks up an
    hour's prefix and one of 3,600 precomputed "MM:SS" endings.
    """

    def __init__(self) -> None:
        self._hours: dict[int, str] = {}
        self._endings = [f"{m:02d}:{s:02d}" for m in range(60) for s in range(60)]

    def epoch(self, epoch: int | None) -> str | None:
        if epoch is None:
            return None
        hour = epoch // 3600
        prefix = self._hours.get(hour)
        if prefix is None:
            moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(hours=hour)
            prefix = self._hours[hour] = f"{moment:%Y-%m-%d %H}:"
        return prefix + self._endings[epoch - hour * 3600]

    def of(self, moment: datetime.datetime) -> str | None:
        return self.epoch(int(moment.timestamp()))


class PostgresTimes:
    """Times as aware UTC datetimes, which binary COPY sends as they are.

    An hour's datetime plus one of 3,600 precomputed timedeltas is four
    times faster than `datetime.fromtimestamp`.
    """

    def __init__(self) -> None:
        self._hours: dict[int, datetime.datetime] = {}
        self._seconds = [datetime.timedelta(seconds=n) for n in range(3600)]

    def epoch(self, epoch: int | None) -> datetime.datetime | None:
        if epoch is None:
            return None
        hour = epoch // 3600
        start = self._hours.get(hour)
        if start is None:
            start = self._hours[hour] = datetime.datetime.fromtimestamp(hour * 3600, datetime.UTC)
        return start + self._seconds[epoch - hour * 3600]

    @staticmethod
    def of(moment: datetime.datetime) -> datetime.datetime:
        return moment


class PostgresSink:
    """COPY into the tables; ids come from each table's own sequence."""

    def __init__(self) -> None:
        self.times = PostgresTimes()
        # How long rebuilding took, for the command's report.
        self.seconds: dict[str, float] = {}

    def lock(self, *tables: type[models.Model]) -> None:
        # Keeps other writers out while blocks of ids are reserved.
        names = ", ".join(connection.ops.quote_name(t._meta.db_table) for t in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")

    @contextmanager
    def without_foreign_keys(self, *tables: type[models.Model]) -> Iterator[None]:
        """Drop the tables' foreign keys, and add them back (checking every row).

        Django's foreign keys are checked row by row at commit; for the
        report profile that took longer than the whole load does now. This
        happens in the caller's transaction, so a failure changes nothing.
        """
        with connection.cursor() as cursor:
            _run_deferred_checks(cursor)
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [[t._meta.db_table for t in tables]],
            )
            foreign_keys = cursor.fetchall()
            for table, name, _ in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        yield
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _run_deferred_checks(cursor)
            for table, name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
        self.seconds["foreign keys"] = time.perf_counter() - started

    @contextmanager
    def without_indexes(self, *tables: type[models.Model]) -> Iterator[None]:
        """Drop the secondary indexes and build them again afterwards.

        Primary keys and unique constraints stay. Building an index once is
        far cheaper than updating it for every row, above all the full-text
        one. Readers of the tables wait until the transaction ends.
        """
        with connection.cursor() as cursor:
            _run_deferred_checks(cursor)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid::regclass::text = ANY(%s) AND NOT indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
                [[t._meta.db_table for t in tables]],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _run_deferred_checks(cursor)
            for _, definition in indexes:
                cursor.execute(definition)
        self.seconds["indexes"] = time.perf_counter() - started

    def reserve_ids(self, model: type[models.Model], count: int) -> int:
        """The first of `count` consecutive ids no one else will get."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [model._meta.db_table, model._meta.db_table, count],
            )
            last = cursor.fetchone()[0]
        return last - count + 1

    def release_unused_ids(
        self, model: type[models.Model], next_id: int, reserved_end: int
    ) -> None:
        """Give back the tail of a reserved block if no one has taken ids since."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                f"SELECT setval(%s, %s, %s) FROM {sequence} WHERE last_value = %s",  # noqa: S608
                [sequence, max(next_id - 1, 1), next_id > 1, reserved_end - 1],
            )

    def write(self, table: Table, rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            _copy(cursor, table, rows)

    @contextmanager
    def background(self) -> Iterator[BackgroundWriter]:
        """COPY on another thread, on this transaction's connection, in order.

        The server parses one batch while this process builds the next. The
        caller must not use the connection until `drain()` has returned.
        """
        raw = connection.connection

        def write(table: Table, rows: list[tuple]) -> None:
            with raw.cursor() as cursor:
                _copy(cursor, table, rows)

        with ThreadPoolExecutor(max_workers=1) as pool:
            writer = BackgroundWriter(pool, write)
            try:
                yield writer
            finally:
                writer.drain()

    def analyze(self, *tables: type[models.Model]) -> None:
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class SqliteSink:
    """executemany in one transaction; SQLite has a single writer anyway."""

    def __init__(self) -> None:
        self.times = SqliteTimes()
        self.seconds: dict[str, float] = {}
        self._next_id: dict[str, int] = {}

    def lock(self, *tables: type[models.Model]) -> None:
        """Nothing to do: the transaction already holds SQLite's write lock."""

    @contextmanager
    def without_foreign_keys(self, *tables: type[models.Model]) -> Iterator[None]:
        """Nothing to change: SQLite is fast enough at the sizes it serves."""
        yield

    without_indexes = without_foreign_keys

    @contextmanager
    def background(self) -> Iterator[BackgroundWriter]:
        """Writes right away: SQLite connections stay on their own thread."""
        writer = BackgroundWriter(None, self.write)
        yield writer
        writer.drain()

    def release_unused_ids(
        self, model: type[models.Model], next_id: int, reserved_end: int
    ) -> None:
        """Nothing to give back: SQLite ids follow the table's maximum."""

    def reserve_ids(self, model: type[models.Model], count: int) -> int:
        table = model._meta.db_table
        if table not in self._next_id:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(table)}"  # noqa: S608
                )
                self._next_id[table] = cursor.fetchone()[0]
        first = self._next_id[table]
        self._next_id[table] = first + count
        return first

    def write(self, table: Table, rows: list[tuple]) -> None:
        if not rows:
            return
        placeholders = ", ".join(["%s"] * len(table.columns))
        sql = (
            f"INSERT INTO {connection.ops.quote_name(table.name)} "  # noqa: S608
            f"({table.quoted_columns()}) VALUES ({placeholders})"
        )
        defaults = table.defaults
        with connection.cursor() as cursor:
            cursor.executemany(sql, [row + defaults for row in rows] if defaults else rows)

    def analyze(self, *tables: type[models.Model]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def sink_for_connection() -> PostgresSink | SqliteSink:
    if connection.vendor == "postgresql":
        return PostgresSink()
    if connection.vendor == "sqlite":
        return SqliteSink()
    raise ImproperlyConfigured(f"No demo-data writer for {connection.vendor}.")
