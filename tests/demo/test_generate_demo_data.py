"""The report profile loaded at 1 % scale, checked with SQL aggregates.

The data is loaded once for the module inside a transaction that is rolled
back at the end; each test runs in its own savepoint on top of it.
"""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractIsoWeekDay, TruncDate
from django.test import override_settings

from enquiries import cpr
from enquiries.models import Category, Citizen, Enquiry, EnquiryEvent, Topic
from seed.generator.loader import load_report_profile
from seed.generator.profile import MINISTRY_NAMED_SHARES, SUPPORT_NAMED_SHARES, share
from tests.reports.data import EXPECTED

SUPPORT_COUNT = 2_160  # 1 % of the report's 216,000
KEYS = {
    "CPR_ENCRYPTION_KEYS": ["lI2mu-nAOvWE2XyjO8hrqr8XQS9sz8oGBJtkpKgCyUU="],
    "CPR_HASH_KEY": "test-hash-key",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}
Status = Enquiry.Status
COPENHAGEN = datetime.timezone(datetime.timedelta(hours=2))


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    """The loaded profile's result; the rows stay until the module ends."""
    with django_db_blocker.unblock(), override_settings(**KEYS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_report_profile(support_count=SUPPORT_COUNT, seed=7)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(report, db, settings):
    settings.CPR_ENCRYPTION_KEYS = KEYS["CPR_ENCRYPTION_KEYS"]
    settings.CPR_HASH_KEY = KEYS["CPR_HASH_KEY"]
    return report


def counts_by_topic(queue_code):
    rows = (
        Enquiry.objects.filter(queue__code=queue_code)
        .values("topic__code")
        .annotate(n=Count("id"))
        .values_list("topic__code", "n")
    )
    return dict(rows)


def test_support_topics_have_exactly_the_reports_shares(loaded):
    counts = counts_by_topic("support")
    total = sum(counts.values())

    assert total == SUPPORT_COUNT
    for code, percent in SUPPORT_NAMED_SHARES.items():
        assert share(counts[code], total) == percent, code
    others = {code: n for code, n in counts.items() if code not in SUPPORT_NAMED_SHARES}
    assert len(others) == 5
    assert all(share(n, total) < Decimal("5.1") for n in others.values())


def test_support_enquiries_spread_over_all_46_categories(loaded):
    support = Enquiry.objects.filter(queue__code="support")

    assert Category.objects.filter(topic__queue__code="support").count() == 46
    assert support.values("category").distinct().count() == 46
    assert not support.filter(category=None).exists()
    assert not support.exclude(category__topic=F("topic")).exists()


def test_ministry_mentions_reproduce_the_reports_table(loaded):
    primary = counts_by_topic("ministry")
    additional = dict(
        Topic.objects.filter(queue__code="ministry")
        .annotate(n=Count("mentioned_in"))
        .values_list("code", "n")
    )
    mentions = {code: primary.get(code, 0) + additional.get(code, 0) for code in additional}
    total = sum(mentions.values())

    assert sum(primary.values()) == 126
    assert total == 187
    for code, percent in MINISTRY_NAMED_SHARES.items():
        assert share(mentions[code], total) == percent, code
    assert all(
        share(n, total) < Decimal("9.1")
        for code, n in mentions.items()
        if code not in MINISTRY_NAMED_SHARES
    )


def test_a_letter_never_lists_its_own_topic_again(loaded):
    assert not Enquiry.objects.filter(additional_topics=F("topic")).exists()


def test_totals_add_up_with_press_items(loaded):
    by_queue = dict(
        Enquiry.objects.values("queue__code")
        .annotate(n=Count("id"))
        .values_list("queue__code", "n")
    )

    assert by_queue == {"support": SUPPORT_COUNT, "ministry": 126, "press": 14}
    assert loaded.totals.enquiries == SUPPORT_COUNT + 126 + 14


def test_everything_happens_between_launch_and_the_end_of_october(loaded):
    start = datetime.datetime(2010, 7, 1, tzinfo=COPENHAGEN)
    end = datetime.datetime(2010, 11, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))

    assert not Enquiry.objects.filter(Q(received_at__lt=start) | Q(received_at__gte=end)).exists()
    assert Enquiry.objects.filter(received_at__date="2010-07-01").exists()


def test_weekdays_are_busier_than_weekends(loaded):
    per_day = (
        Enquiry.objects.filter(queue__code="support")
        .annotate(day=TruncDate("received_at"), weekday=ExtractIsoWeekDay("received_at"))
        .values("day", "weekday")
        .annotate(n=Count("id"))
    )
    weekday = [row["n"] for row in per_day if row["weekday"] <= 5]
    weekend = [row["n"] for row in per_day if row["weekday"] >= 6]

    assert sum(weekday) / len(weekday) > 2 * sum(weekend) / len(weekend)


def support_between(first: str, last: str) -> int:
    return Enquiry.objects.filter(
        queue__code="support",
        received_at__gte=datetime.datetime.fromisoformat(f"{first}T00:00+02:00"),
        received_at__lt=datetime.datetime.fromisoformat(f"{last}T00:00+02:00")
        + datetime.timedelta(days=1),
    ).count()


def test_the_launch_week_and_the_welcome_letters_bring_surges(loaded):
    # Whole weeks, so both sides of each comparison have the same weekdays.
    launch, next_week = (
        support_between("2010-07-01", "2010-07-07"),
        support_between("2010-07-08", "2010-07-14"),
    )
    before, after = (
        support_between("2010-08-30", "2010-09-05"),
        support_between("2010-09-06", "2010-09-12"),
    )

    assert launch > 1.2 * next_week, (launch, next_week)
    assert after > 1.5 * before, (before, after)


def test_history_is_closed_with_consistent_times(loaded):
    # Loaded as history: the backlog of 1 November was worked off after it,
    # so no 2010 deadline is open, breached or escalated today.
    by_status = dict(
        Enquiry.objects.values("status").annotate(n=Count("id")).values_list("status", "n")
    )

    assert by_status == {Status.CLOSED: Enquiry.objects.count()}
    assert by_status == loaded.totals.by_status
    assert not Enquiry.objects.filter(
        Q(resolved_at__isnull=True)
        | Q(first_responded_at__isnull=True)
        | Q(resolved_at__lt=F("received_at"))
        | Q(first_responded_at__lt=F("received_at"))
        | Q(resolution="")
        | Q(closed_at__isnull=True)
        | Q(closed_at__lt=F("resolved_at"))
        | Q(sla_paused_at__isnull=False)
        | Q(escalation_level__gt=0)
    ).exists()
    # Some were still open when the period ended, as the report found them.
    period_end = datetime.datetime(2010, 11, 1, tzinfo=COPENHAGEN)
    assert Enquiry.objects.filter(resolved_at__gte=period_end).exists()


def test_deadlines_follow_reception_and_some_are_missed(loaded):
    assert not Enquiry.objects.filter(
        Q(first_response_due_at__lte=F("received_at")) | Q(resolution_due_at__lte=F("received_at"))
    ).exists()
    late = Enquiry.objects.filter(resolved_at__gt=F("resolution_due_at")).count()
    assert 0 < late < Enquiry.objects.count() * 0.2


def test_assignees_are_demo_agents_of_the_queues_team(loaded):
    wrong_team = Enquiry.objects.exclude(assignee=None).exclude(assignee__team=F("queue__team"))

    assert not wrong_team.exists()
    assert Enquiry.objects.filter(assignee__username="agent").exists()
    assert not Enquiry.objects.filter(status=Status.CLOSED, assignee=None).exists()


def test_references_are_unique_and_in_the_queues_form(loaded):
    references = list(Enquiry.objects.values_list("reference", "queue__reference_prefix"))

    assert len({reference for reference, _ in references}) == len(references)
    for reference, prefix in references:
        assert re.fullmatch(rf"{prefix}-2010-\d{{6,}}", reference), reference


def test_references_follow_the_order_of_arrival(loaded):
    numbers = [
        int(reference.rsplit("-", 1)[1])
        for reference in Enquiry.objects.order_by("received_at", "id").values_list(
            "reference", flat=True
        )
    ]

    assert numbers == sorted(numbers)
    # Taken from the sequence in one go each chunk: no number is wasted.
    assert numbers[-1] - numbers[0] + 1 == len(numbers)


def test_every_enquiry_has_its_created_event_and_resolved_ones_their_resolution(loaded):
    kinds = dict(
        EnquiryEvent.objects.values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    resolved_events = EnquiryEvent.objects.filter(kind="status", new_value=Status.RESOLVED)

    assert kinds[EnquiryEvent.Kind.CREATED] == Enquiry.objects.count()
    assert (
        Enquiry.objects.annotate(created=Count("events", filter=Q(events__kind="created")))
        .exclude(created=1)
        .count()
        == 0
    )
    assert resolved_events.count() == Enquiry.objects.exclude(resolved_at=None).count()
    assert not resolved_events.exclude(created_at=F("enquiry__resolved_at")).exists()
    assert sum(kinds.values()) == loaded.totals.events


def test_many_citizens_call_more_than_once(loaded):
    support = Enquiry.objects.filter(queue__code="support", citizen__isnull=False)
    repeat_callers = (
        support.values("citizen").annotate(n=Count("id")).filter(n__gt=1).values("citizen")
    )
    repeat_share = support.filter(citizen__in=repeat_callers).count() / support.count()

    assert 0.15 < repeat_share < 0.5
    assert Citizen.objects.count() == loaded.totals.citizens


def test_cpr_numbers_are_valid_encrypted_and_never_stored_in_plain(loaded):
    citizens = list(Citizen.objects.all())
    numbers = [cpr.decrypt_cpr(citizen.cpr_ciphertext) for citizen in citizens]

    assert len(set(numbers)) == len(numbers)
    for citizen, digits in zip(citizens, numbers, strict=True):
        assert cpr.normalize_cpr(digits) == digits
        assert citizen.cpr_digest == cpr.cpr_digest(digits)
        assert citizen.cpr_masked == f"{digits[:6]}-xxxx"
        stored = " ".join(
            [citizen.name, citizen.email, citizen.phone, citizen.address, citizen.cpr_ciphertext]
        )
        assert digits not in stored and cpr.format_cpr(digits) not in stored
    sample = numbers[:50]
    leaked = Enquiry.objects.filter(
        Q(subject__regex=r"\d{6}-?\d{4}") | Q(description__regex=r"\d{6}-?\d{4}")
    )
    assert not leaked.exists()
    assert Citizen.objects.with_cpr(sample[0]).get() == citizens[0]


def test_a_second_load_is_refused_and_replace_gives_the_same_data(loaded):
    before = list(
        Enquiry.objects.order_by("received_at", "id").values_list(
            "received_at", "topic__code", "status", "subject"
        )
    )
    citizens = Citizen.objects.count()

    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_demo_data", support_count=SUPPORT_COUNT, no_progress=True)
    out = StringIO()
    call_command(
        "generate_demo_data",
        support_count=SUPPORT_COUNT,
        seed=7,
        replace=True,
        no_progress=True,
        stdout=out,
    )

    after = list(
        Enquiry.objects.order_by("received_at", "id").values_list(
            "received_at", "topic__code", "status", "subject"
        )
    )
    assert after == before
    assert Citizen.objects.count() == citizens
    assert f"Deleted {len(before):,} enquiries" in out.getvalue()
    assert "midlertidig-adgangskode" in out.getvalue() and "30.9 %" in out.getvalue()


def test_if_empty_leaves_a_loaded_period_alone_and_succeeds(loaded):
    before = Enquiry.objects.count()
    out = StringIO()

    call_command(
        "generate_demo_data",
        support_count=SUPPORT_COUNT,
        if_empty=True,
        no_progress=True,
        stdout=out,
    )

    assert Enquiry.objects.count() == before
    assert f"{before:,} enquiries already exist" in out.getvalue()
    assert "nothing generated" in out.getvalue()


def test_the_database_has_no_broken_references_after_the_load(loaded):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []
            return
        # PostgreSQL: the loader drops the foreign keys and adds them back,
        # which checks every row; each must be back, and validated.
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE contype = 'f' AND NOT convalidated"
        )
        assert cursor.fetchall() == []
        for model in (Enquiry, Citizen, EnquiryEvent):
            table = model._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            referenced = {tuple(c["columns"]) for c in constraints.values() if c["foreign_key"]}
            fields = {
                (f.column,)
                for f in model._meta.concrete_fields
                if f.is_relation and f.db_constraint
            }
            assert fields <= referenced, table


REPORT_PERIOD = ["--start", "2010-07-01", "--end", "2010-10-31"]


def printed_report() -> list[str]:
    out = StringIO()
    call_command("build_report", *REPORT_PERIOD, "--format", "text", stdout=out)
    return [" ".join(line.split()) for line in out.getvalue().splitlines()]


def assert_both_tables(lines: list[str]) -> None:
    for code in ("support", "ministry"):
        for topic, percent in EXPECTED[code]:
            assert f"{topic} {percent}" in lines, (code, topic)


def test_build_report_prints_both_of_the_reports_tables_after_the_load(loaded):
    lines = printed_report()

    assert_both_tables(lines)
    total = f"{SUPPORT_COUNT + 126 + 14:,}".replace(",", ".")
    assert any(line.endswith(f"har været {total}.") for line in lines), lines
    # The bulk load leaves no dirty marks: the report counts directly.
    assert any("Beregnet direkte" in line for line in lines)


def test_the_command_builds_the_snapshots_the_dashboard_and_report_read(loaded, client_as):
    call_command(
        "generate_demo_data",
        support_count=SUPPORT_COUNT,
        seed=7,
        replace=True,
        no_progress=True,
        stdout=StringIO(),
    )

    lines = printed_report()
    assert_both_tables(lines)
    assert not any("Beregnet direkte" in line for line in lines)
    client = client_as("manager", language="da")
    response = client.get("/dashboards/", {"period": "report-2010", "queue": "support"})
    rows = response.context["tables"]["topics"].rows
    assert [(row.values[0], row.values[1]) for row in rows[:5]] == [
        (topic, Decimal(percent.rstrip("%").replace(",", ".")))
        for topic, percent in EXPECTED["support"]
    ]
    assert response.context["tables"]["topics"].total.values[2] == SUPPORT_COUNT
