"""Loading the report profile: staff, taxonomy and rows, in one transaction."""

from __future__ import annotations

import datetime
import multiprocessing
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from tqdm import tqdm

from accounts.models import Team, User
from accounts.roles import Role
from enquiries import cpr
from enquiries.models import Category, Citizen, Enquiry, EnquiryEvent, Queue, Topic
from enquiries.sequences import next_reference_numbers
from seed.demo.users import create_demo_users
from seed.generator import texts
from seed.generator.builder import (
    AS_OF,
    CITIZEN_COLUMNS,
    ENQUIRY_COLUMNS,
    EVENT_COLUMNS,
    PERIOD_FROM,
    TOPIC_LINK_COLUMNS,
    IdBlocks,
    Prefetched,
    ReportBuilder,
    Staff,
    Taxonomy,
    Totals,
    citizen_rows,
)
from seed.generator.profile import STAFF_NOVEMBER, Volumes, report_volumes
from seed.generator.sinks import PostgresSink, SqliteSink, Table, sink_for_connection
from seed.reference import load_sla_policies, load_taxonomy

BATCH_SIZE = 20_000
REFERENCE_CHUNK = 1_000_000
LETTER_DESK_EXTRA = 3
QUEUES = ("support", "ministry", "press")
LOADED = (Citizen, Enquiry, Enquiry.additional_topics.through, EnquiryEvent)
SUPPORT_TEAM, LETTER_TEAM = "NemID-support", "Brevkontoret"


class PeriodNotEmpty(Exception):
    """Enquiries already exist in the profile's period."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


@dataclass
class LoadResult:
    volumes: Volumes
    totals: Totals
    replaced: int
    seconds: float
    # Wall-clock seconds per phase, in order.
    phases: dict[str, float]


def encrypt_cprs(numbers: list[str]) -> list[str]:
    """Fernet ciphertexts, exactly as Citizen.set_cpr stores them."""
    return [cpr.encrypt_cpr(digits) for digits in numbers]


@contextmanager
def encryption_pool() -> Iterator[Executor]:
    """A worker process for the CPR encryption (about a quarter of the work).

    Forked, so it shares the settings (and keys) of this process; where
    fork is unavailable the work stays in this process.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        with ThreadPoolExecutor(max_workers=1) as pool:
            yield pool
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def period() -> tuple[datetime.datetime, datetime.datetime]:
    """The profile's period: from 1 July 2010 until 1 November 2010, local time."""
    return (
        datetime.datetime.fromtimestamp(PERIOD_FROM, datetime.UTC),
        datetime.datetime.fromtimestamp(AS_OF, datetime.UTC),
    )


def ensure_staff() -> Staff:
    """The demo users plus enough support agents for the autumn's 270 staff.

    Idempotent. Generated agents have unusable passwords: they exist to own
    enquiries, not to log in.
    """
    create_demo_users()
    teams = {t.name: t for t in Team.objects.filter(name__in=[SUPPORT_TEAM, LETTER_TEAM])}
    support = ["agent", "agent2"] + [f"support{n:03d}" for n in range(1, STAFF_NOVEMBER - 1)]
    letters = ["letters"] + [f"brevkontor{n}" for n in range(1, LETTER_DESK_EXTRA + 1)]
    existing = set(
        User.objects.filter(username__in=support + letters).values_list("username", flat=True)
    )
    new_users = [
        User(
            username=username,
            first_name=texts.FIRST_NAMES[n % len(texts.FIRST_NAMES)],
            last_name=texts.LAST_NAMES[(n * 7) % len(texts.LAST_NAMES)],
            email=f"{username}@nemid-cases.invalid",
            team=teams[SUPPORT_TEAM if username in support else LETTER_TEAM],
            password=make_password(None),
        )
        for n, username in enumerate(support + letters)
        if username not in existing
    ]
    if new_users:
        User.objects.bulk_create(new_users)
        group = Group.objects.get(name=Role.AGENT.value)
        new_ids = User.objects.filter(username__in=[u.username for u in new_users]).values_list(
            "pk", flat=True
        )
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=pk, group_id=group.pk) for pk in new_ids],
            ignore_conflicts=True,
        )
    users = {u.username: u for u in User.objects.filter(username__in=support + letters)}
    return Staff(
        support=[(users[name].pk, str(users[name])) for name in support],
        letters=[(users[name].pk, str(users[name])) for name in letters],
    )


def taxonomy_ids() -> Taxonomy:
    queues = {q.code: (q.pk, q.team_id) for q in Queue.objects.filter(code__in=QUEUES)}
    topics = {
        (t.queue.code, t.code): (t.pk, t.name_da)
        for t in Topic.objects.select_related("queue").filter(queue__code__in=QUEUES)
    }
    categories: dict[tuple[str, str], list[tuple[int, str]]] = {}
    rows = (
        Category.objects.filter(topic__queue__code__in=QUEUES)
        .order_by("topic_id", "position", "pk")
        .values_list("pk", "code", "topic__code", "topic__queue__code")
    )
    for pk, code, topic_code, queue_code in rows:
        categories.setdefault((queue_code, topic_code), []).append((pk, code))
    return Taxonomy(queues=queues, topics=topics, categories=categories)


def _cascade(model: type[models.Model], where: str, params: list, depth: int = 0) -> None:
    """Delete the rows of `model` matching `where`, and what depends on them.

    Django's delete() would load every row first; this follows the same
    on_delete rules in SQL, so a model added later is handled too.
    """
    if depth > 4:
        raise RuntimeError(f"Relations to {model.__name__} nest too deeply to delete.")
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    selected = f"SELECT {pk} FROM {table} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through._meta
            column = through.get_field(m2m.m2m_field_name()).column
            cursor.execute(
                f"DELETE FROM {quote(through.db_table)} WHERE {quote(column)} IN ({selected})",  # noqa: S608
                params,
            )
        for relation in model._meta.related_objects:
            related = relation.related_model
            if relation.many_to_many:
                through = relation.through._meta
                column = through.get_field(relation.field.m2m_reverse_field_name()).column
                cursor.execute(
                    f"DELETE FROM {quote(through.db_table)} WHERE {quote(column)} IN ({selected})",  # noqa: S608
                    params,
                )
                continue
            column = quote(relation.field.column)
            on_delete = relation.on_delete
            if on_delete is models.CASCADE:
                _cascade(related, f"{column} IN ({selected})", params, depth + 1)
            elif on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {quote(related._meta.db_table)} SET {column} = NULL "  # noqa: S608
                    f"WHERE {column} IN ({selected})",
                    params,
                )
            elif on_delete is not models.DO_NOTHING:
                # PROTECT, RESTRICT and the rest: let the database refuse.
                pass
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608


def delete_period() -> int:
    """Remove every enquiry received in the period and the citizens only it had.

    Citizens go if they were first recorded in the period and no enquiry
    refers to them any more. Returns the number of enquiries removed.
    """
    start, end = period()
    count = Enquiry.objects.filter(received_at__gte=start, received_at__lt=end).count()
    bounds = [connection.ops.adapt_datetimefield_value(value) for value in (start, end)]
    _cascade(Enquiry, "received_at >= %s AND received_at < %s", bounds)
    citizen = connection.ops.quote_name(Citizen._meta.db_table)
    enquiry = connection.ops.quote_name(Enquiry._meta.db_table)
    _cascade(
        Citizen,
        f"created_at >= %s AND created_at < %s AND NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {enquiry} e WHERE e.citizen_id = {citizen}.id)",
        bounds,
    )
    return count


def load_report_profile(
    *,
    scale: float = 1.0,
    support_count: int | None = None,
    seed: int = 2010,
    replace: bool = False,
    progress: bool = False,
) -> LoadResult:
    """Create July-October 2010 as the report describes it, all or nothing.

    Refuses (PeriodNotEmpty) if the period already holds enquiries, unless
    `replace` removes them first. The tables are locked until it commits;
    then it runs ANALYZE.
    """
    started = mark = time.perf_counter()
    phases: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        phases[name], mark = now - mark, now

    volumes = report_volumes(scale, support_count)
    load_taxonomy()
    # The deadlines are the app's: its SLA policies in business time.
    load_sla_policies()
    staff = ensure_staff()
    sink = sink_for_connection()
    lap("taxonomy and staff")
    with transaction.atomic():
        sink.lock(Enquiry, Citizen)
        with sink.without_foreign_keys(*LOADED):
            start, end = period()
            existing = Enquiry.objects.filter(received_at__gte=start, received_at__lt=end).count()
            if existing and not replace:
                raise PeriodNotEmpty(existing)
            replaced = delete_period() if existing else 0
            lap("deleting the period")
            # Timeline rows arrive in enquiry order, so their indexes only grow
            # at the right edge: cheaper to keep than to rebuild (measured).
            with sink.without_indexes(Citizen, Enquiry):
                totals = _write_profile(
                    volumes, staff=staff, seed=seed, sink=sink, progress=progress
                )
                lap("building and copying rows")
        lap("indexes and foreign keys")
    lap("commit")
    sink.analyze(*LOADED)
    lap("analyze")
    phases["of which indexes"] = sink.seconds.get("indexes", 0.0)
    return LoadResult(
        volumes=volumes,
        totals=totals,
        replaced=replaced,
        seconds=time.perf_counter() - started,
        phases=phases,
    )


def _write_profile(
    volumes: Volumes, *, staff: Staff, seed: int, sink: PostgresSink | SqliteSink, progress: bool
) -> Totals:
    tables = {
        "citizens": Table(Citizen, CITIZEN_COLUMNS),
        "enquiries": Table(Enquiry, ENQUIRY_COLUMNS),
        "topic_links": Table(Enquiry.additional_topics.through, TOPIC_LINK_COLUMNS),
        "events": Table(EnquiryEvent, EVENT_COLUMNS),
    }
    builder = ReportBuilder(
        volumes,
        taxonomy=taxonomy_ids(),
        staff=staff,
        seed=seed,
        times=sink.times,
        # One block each, so that building never waits for the connection;
        # the citizens' unused tail is given back at the end.
        enquiry_ids=IdBlocks(lambda n: sink.reserve_ids(Enquiry, n), volumes.total),
        citizen_ids=IdBlocks(lambda n: sink.reserve_ids(Citizen, n), volumes.total),
        reference_numbers=Prefetched(
            next_reference_numbers, chunk=REFERENCE_CHUNK, total=volumes.total
        ),
        taken_digests=set(
            Citizen.objects.exclude(cpr_digest=None).values_list("cpr_digest", flat=True)
        ),
    )
    bar = tqdm(
        total=volumes.total,
        unit=" enquiries",
        unit_scale=True,
        file=sys.stderr,
        disable=not progress,
    )
    with bar, encryption_pool() as pool, sink.background() as writer:
        for batch, built in builder.batches(BATCH_SIZE):
            # Three things overlap: this process builds the next batch, the
            # worker process encrypts CPR numbers, the database parses rows.
            encrypted = pool.submit(encrypt_cprs, batch.cprs)
            writer.drain()
            writer.submit(tables["enquiries"], batch.enquiries)
            writer.submit(tables["topic_links"], batch.topic_links)
            writer.submit(tables["events"], batch.events)
            writer.submit(tables["citizens"], partial(citizen_rows, batch, encrypted))
            bar.update(built)
        writer.drain()
        bar.set_postfix_str("building indexes")
    sink.release_unused_ids(Citizen, builder.citizen_ids.next, builder.citizen_ids.end)
    return builder.totals
