import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from analytics import services
from analytics.models import Basis, DirtyDay, Granularity, Level, TopicShare
from analytics.reports import PERIOD, topic_shares
from enquiries import services as enquiry_services
from enquiries.models import Topic
from tests.analytics.helpers import at, category_of, make_enquiries, shares_by_topic, snapshot

NOV_15 = datetime.date(2010, 11, 15)  # a Monday
NOV_16 = datetime.date(2010, 11, 16)

# The report's table of the 126 citizen letters, per topic mention: 187
# mentions. Mention j goes to letter j mod 126, so a topic's run (each
# under 126) never hits one letter twice; a letter's first is its primary.
MINISTRY_MENTIONS = [
    ("sikkerhed", 41),
    ("brugerproblemer", 32),
    ("noeglekort", 28),
    ("banktvang", 19),
    ("klage-over-support", 17),
    ("tilgaengelighed", 10),
    ("privatliv", 9),
    ("log-ud", 9),
    ("velkomstbreve", 8),
    ("nedbrud", 8),
    ("andet", 6),
]


def write_ministry_letters(ministry) -> None:
    mentions = [code for code, count in MINISTRY_MENTIONS for _ in range(count)]
    letters: list[list[str]] = [[] for _ in range(126)]
    for j, code in enumerate(mentions):
        letters[j % 126].append(code)
    topics = {t.code: t for t in Topic.objects.filter(queue=ministry)}
    for i, codes in enumerate(letters):
        make_enquiries(
            ministry,
            received_at=at(datetime.date(2010, 11, 1) + datetime.timedelta(days=i % 20)),
            category=category_of(ministry, codes[0]),
            further=[topics[code] for code in codes[1:]],
        )


def as_table(buckets) -> dict:
    (bucket,) = buckets
    return {
        (row.topic.code if row.topic else None): (row.count, str(row.share)) for row in bucket.rows
    }


def test_ministry_letters_give_the_reports_shares_per_mention(ministry):
    write_ministry_letters(ministry)

    services.rebuild_topic_shares(datetime.date(2010, 11, 1), datetime.date(2010, 11, 30))
    period = topic_shares(
        ministry,
        granularity=PERIOD,
        start=datetime.date(2010, 10, 1),
        end=datetime.date(2010, 12, 31),
        basis=Basis.MENTION,
        level=Level.TOPIC,
    )

    assert period[0].total == 187
    assert as_table(period) == {
        "sikkerhed": (41, "21.9"),
        "brugerproblemer": (32, "17.1"),
        "noeglekort": (28, "15.0"),
        "banktvang": (19, "10.2"),
        "klage-over-support": (17, "9.1"),
        "tilgaengelighed": (10, "5.3"),
        "privatliv": (9, "4.8"),
        "log-ud": (9, "4.8"),
        "velkomstbreve": (8, "4.3"),
        "nedbrud": (8, "4.3"),
        "andet": (6, "3.2"),
    }
    # The month snapshot holds the same table.
    month = shares_by_topic(
        ministry,
        granularity=Granularity.MONTH,
        start=datetime.date(2010, 11, 1),
        basis=Basis.MENTION,
    )
    assert month["sikkerhed"] == (41, "21.9")
    assert month["klage-over-support"] == (17, "9.1")


def test_ministry_letters_per_enquiry_count_each_letter_once(ministry):
    write_ministry_letters(ministry)

    services.rebuild_topic_shares(datetime.date(2010, 11, 1), datetime.date(2010, 11, 30))
    period = topic_shares(
        ministry,
        granularity=PERIOD,
        start=datetime.date(2010, 11, 1),
        end=datetime.date(2010, 11, 30),
        basis=Basis.ENQUIRY,
        level=Level.TOPIC,
    )

    assert period[0].total == 126
    assert as_table(period) == {
        "sikkerhed": (41, "32.5"),
        "brugerproblemer": (32, "25.4"),
        "noeglekort": (28, "22.2"),
        "banktvang": (19, "15.1"),
        "klage-over-support": (6, "4.8"),
    }


def write_support_day(support) -> None:
    """Eight enquiries on Monday 15 November, two on Tuesday."""
    topics = {t.code: t for t in Topic.objects.filter(queue=support)}
    password = "midlertidig-adgangskode"
    make_enquiries(
        support,
        received_at=at(NOV_15),
        category=category_of(support, password, "ikke-modtaget"),
        n=3,
    )
    make_enquiries(
        support,
        received_at=at(NOV_15, 11),
        category=category_of(support, password, "udloebet"),
        further=[topics["noeglekort"]],
    )
    make_enquiries(
        support,
        received_at=at(NOV_15, 12),
        category=category_of(support, "aktivering", "fejl"),
        further=[topics["generelle-spoergsmaal"]],
        n=2,
    )
    make_enquiries(support, received_at=at(NOV_15, 13))
    make_enquiries(support, received_at=at(NOV_15, 14), further=[topics["bestilling"]])
    make_enquiries(
        support,
        received_at=at(NOV_16),
        category=category_of(support, "glemt-adgangskode", "glemt-adgangskode"),
        n=2,
    )


def test_support_day_table_on_both_bases_and_levels(support):
    write_support_day(support)

    services.rebuild_topic_shares(NOV_15, NOV_16, queue=support)
    day = snapshot(support, granularity=Granularity.DAY, period_start=NOV_15)

    def rows(basis, level):
        return {
            (topic, category): values
            for (_g, _d, b, lv, topic, category), values in day.items()
            if b == basis and lv == level
        }

    password = "midlertidig-adgangskode"
    assert rows(Basis.ENQUIRY, Level.TOPIC) == {
        (password, None): (4, 8, "50.0"),
        ("aktivering", None): (2, 8, "25.0"),
        (None, None): (2, 8, "25.0"),
    }
    assert rows(Basis.ENQUIRY, Level.CATEGORY) == {
        (password, "ikke-modtaget"): (3, 8, "37.5"),
        (password, "udloebet"): (1, 8, "12.5"),
        ("aktivering", "fejl"): (2, 8, "25.0"),
        (None, None): (2, 8, "25.0"),
    }
    assert rows(Basis.MENTION, Level.TOPIC) == {
        (password, None): (4, 10, "40.0"),
        ("aktivering", None): (2, 10, "20.0"),
        ("generelle-spoergsmaal", None): (2, 10, "20.0"),
        ("noeglekort", None): (1, 10, "10.0"),
        ("bestilling", None): (1, 10, "10.0"),
    }
    assert rows(Basis.MENTION, Level.CATEGORY) == {
        (password, "ikke-modtaget"): (3, 10, "30.0"),
        (password, "udloebet"): (1, 10, "10.0"),
        ("aktivering", "fejl"): (2, 10, "20.0"),
        ("generelle-spoergsmaal", None): (2, 10, "20.0"),
        ("noeglekort", None): (1, 10, "10.0"),
        ("bestilling", None): (1, 10, "10.0"),
    }
    week = shares_by_topic(support, granularity=Granularity.WEEK, start=NOV_15, basis=Basis.ENQUIRY)
    assert week == {
        password: (4, "40.0"),
        "aktivering": (2, "20.0"),
        "glemt-adgangskode": (2, "20.0"),
        None: (2, "20.0"),
    }


def test_custom_period_sums_counts_rather_than_averaging_shares(support):
    write_support_day(support)
    services.rebuild_topic_shares(NOV_15, NOV_16, queue=support)

    (bucket,) = topic_shares(
        support,
        granularity=PERIOD,
        start=NOV_15,
        end=NOV_16,
        basis=Basis.ENQUIRY,
        level=Level.TOPIC,
    )

    # Tuesday is 100 % "glemt adgangskode"; averaging days would give 50 %.
    assert bucket.total == 10
    assert {(r.topic.code if r.topic else None): str(r.share) for r in bucket.rows} == {
        "midlertidig-adgangskode": "40.0",
        "aktivering": "20.0",
        "glemt-adgangskode": "20.0",
        None: "20.0",
    }


@pytest.mark.parametrize(
    ("received_at", "day"),
    [
        # 23:30 in Copenhagen is 22:30 UTC, still Monday.
        (at(NOV_15, 23, 30), NOV_15),
        # 00:15 on Tuesday in Copenhagen is 23:15 UTC on Monday.
        (at(NOV_16, 0, 15), NOV_16),
        # The night summer time ended: 00:30 CEST is 22:30 UTC the day before.
        (at(datetime.date(2010, 10, 31), 0, 30), datetime.date(2010, 10, 31)),
    ],
)
def test_days_are_copenhagen_days(support, received_at, day):
    make_enquiries(support, received_at=received_at)

    services.rebuild_topic_shares(
        day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
    )

    days = TopicShare.objects.filter(granularity=Granularity.DAY).values_list(
        "period_start", flat=True
    )
    assert set(days) == {day}


def register(queue, by, **kwargs):
    kwargs.setdefault("subject", "Koden virker ikke")
    return enquiry_services.register_enquiry(queue, by=by, **kwargs)


def test_registering_an_enquiry_marks_its_day_dirty(support, personas):
    register(support, personas["agent"], received_at=at(NOV_15))

    assert list(DirtyDay.objects.values_list("queue_id", "day")) == [(support.pk, NOV_15)]


def test_moving_an_enquiry_marks_old_and_new_queue_and_day(taxonomy, support, ministry, personas):
    enquiry = register(support, personas["agent"], received_at=at(NOV_15))
    DirtyDay.objects.all().delete()

    enquiry_services.update_enquiry(
        enquiry, by=personas["agent"], changes={"queue": ministry, "received_at": at(NOV_16)}
    )

    assert set(DirtyDay.objects.values_list("queue_id", "day")) == {
        (support.pk, NOV_15),
        (ministry.pk, NOV_16),
    }


def test_a_status_change_marks_its_day_for_the_dashboard_summary(support, personas):
    enquiry = register(support, personas["agent"], received_at=at(NOV_15))
    DirtyDay.objects.all().delete()

    enquiry_services.transition_enquiry(enquiry, to="in_progress", by=personas["agent"])

    assert list(DirtyDay.objects.values_list("queue_id", "day")) == [(support.pk, NOV_15)]


def test_a_subject_change_marks_nothing(support, personas):
    enquiry = register(support, personas["agent"], received_at=at(NOV_15))
    DirtyDay.objects.all().delete()

    enquiry_services.update_enquiry(enquiry, by=personas["agent"], changes={"subject": "Nyt emne"})

    assert not DirtyDay.objects.exists()


def test_a_rolled_back_registration_leaves_no_mark(support, personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        register(support, personas["agent"], received_at=at(NOV_15))
        raise RuntimeError("the caller fails after registering")

    assert not DirtyDay.objects.exists()


def _enqueued(callbacks) -> list[str]:
    """Names of the tasks the captured on-commit callbacks would publish."""
    names = []
    for callback in callbacks:
        for cell in callback.__closure__ or ():
            name = getattr(cell.cell_contents, "name", None)
            if isinstance(name, str):
                names.append(name)
    return names


def test_a_new_mark_enqueues_one_recompute_and_a_refresh_none(
    support, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        register(support, personas["agent"], received_at=at(NOV_15))
    with django_capture_on_commit_callbacks() as second:
        register(support, personas["agent"], received_at=at(NOV_15, 11))

    assert _enqueued(first) == ["analytics.recompute_topic_shares"]
    assert _enqueued(second) == []


def test_a_changed_enquiry_moves_its_count(support, ministry, personas):
    agent = personas["agent"]
    expired = category_of(support, "midlertidig-adgangskode", "udloebet")
    lost_card = category_of(support, "noeglekort", "mistet")
    enquiry = register(support, agent, received_at=at(NOV_15), category=expired)
    services.recompute_dirty_days()
    assert shares_by_topic(support, start=NOV_15, basis=Basis.ENQUIRY) == {
        "midlertidig-adgangskode": (1, "100.0")
    }

    enquiry_services.update_enquiry(enquiry, by=agent, changes={"category": lost_card})
    services.recompute_dirty_days()
    assert shares_by_topic(support, start=NOV_15, basis=Basis.ENQUIRY) == {
        "noeglekort": (1, "100.0")
    }

    enquiry_services.update_enquiry(enquiry, by=agent, changes={"received_at": at(NOV_16)})
    services.recompute_dirty_days()
    assert shares_by_topic(support, start=NOV_15, basis=Basis.ENQUIRY) == {}
    assert shares_by_topic(support, start=NOV_16, basis=Basis.ENQUIRY) == {
        "noeglekort": (1, "100.0")
    }
    # The week holds it once, whichever day.
    assert shares_by_topic(
        support, granularity=Granularity.WEEK, start=NOV_15, basis=Basis.ENQUIRY
    ) == {"noeglekort": (1, "100.0")}

    enquiry_services.update_enquiry(enquiry, by=agent, changes={"queue": ministry})
    services.recompute_dirty_days()
    assert shares_by_topic(support, start=NOV_16, basis=Basis.ENQUIRY) == {}
    assert shares_by_topic(ministry, start=NOV_16, basis=Basis.ENQUIRY) == {None: (1, "100.0")}
    assert not DirtyDay.objects.exists()


def test_further_topics_change_the_mention_counts_only(support, personas):
    agent = personas["agent"]
    expired = category_of(support, "midlertidig-adgangskode", "udloebet")
    key_card = Topic.objects.get(queue=support, code="noeglekort")
    enquiry = register(support, agent, received_at=at(NOV_15), category=expired)

    enquiry_services.update_enquiry(enquiry, by=agent, changes={"additional_topics": [key_card]})
    services.recompute_dirty_days()

    assert shares_by_topic(support, start=NOV_15, basis=Basis.ENQUIRY) == {
        "midlertidig-adgangskode": (1, "100.0")
    }
    assert shares_by_topic(support, start=NOV_15, basis=Basis.MENTION) == {
        "midlertidig-adgangskode": (1, "50.0"),
        "noeglekort": (1, "50.0"),
    }


def test_incremental_recompute_equals_a_full_rebuild(support, ministry, personas):
    agent = personas["agent"]
    topics = {t.code: t for t in Topic.objects.filter(queue=support)}
    expired = category_of(support, "midlertidig-adgangskode", "udloebet")
    failed = category_of(support, "aktivering", "fejl")
    security = category_of(ministry, "sikkerhed")
    created = []
    for i in range(12):
        day = datetime.date(2010, 11, 8) + datetime.timedelta(days=i * 2)
        created.append(
            register(
                support,
                agent,
                received_at=at(day, 9 + i % 8),
                category=expired if i % 3 else failed,
                additional_topics=[topics["noeglekort"]] if i % 4 == 0 else [],
            )
        )
        if i % 5 == 0:
            services.recompute_dirty_days()
    enquiry_services.update_enquiry(created[1], by=agent, changes={"category": failed})
    enquiry_services.update_enquiry(
        created[2], by=agent, changes={"received_at": at(datetime.date(2010, 12, 24))}
    )
    enquiry_services.update_enquiry(created[3], by=agent, changes={"queue": ministry})
    enquiry_services.update_enquiry(created[5], by=agent, changes={"additional_topics": []})
    register(ministry, agent, received_at=at(datetime.date(2010, 11, 30)), category=security)
    services.recompute_dirty_days()
    incremental = {**snapshot(support), **snapshot(ministry)}

    TopicShare.objects.all().delete()
    services.rebuild_topic_shares(datetime.date(2010, 11, 1), datetime.date(2010, 12, 31))

    assert incremental == {**snapshot(support), **snapshot(ministry)}
    assert len(incremental) > 50


def test_a_mark_made_during_a_recompute_survives_it(support, personas, monkeypatch):
    register(support, personas["agent"], received_at=at(NOV_15))
    write_days = services._write_days

    def write_days_while_a_change_lands(queue_id, ranges, *, now, **path):
        write_days(queue_id, ranges, now=now, **path)
        services.mark_days_dirty({(support.pk, NOV_15)}, now=now)

    monkeypatch.setattr(services, "_write_days", write_days_while_a_change_lands)
    services.recompute_dirty_days()

    assert DirtyDay.objects.filter(queue=support, day=NOV_15).exists()


def test_recompute_twice_changes_nothing(support, personas):
    register(support, personas["agent"], received_at=at(NOV_15))
    services.recompute_dirty_days()
    first = snapshot(support)

    assert services.recompute_dirty_days() == {}
    assert snapshot(support) == first


def test_rebuild_command_rebuilds_one_queue(support, ministry):
    write_support_day(support)
    make_enquiries(ministry, received_at=at(NOV_15), category=category_of(ministry, "banktvang"))

    call_command(
        "rebuild_topic_shares", "--start", "2010-11-15", "--end", "2010-11-16", "--queue", "support"
    )

    assert TopicShare.objects.filter(queue=support).exists()
    assert not TopicShare.objects.filter(queue=ministry).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2010-11-31", "--end", "2010-12-01"], "Not a date"),
        (["--start", "2010-11-15", "--end", "2010-11-01"], "end date"),
        (["--start", "2010-11-01", "--end", "2010-11-02", "--queue", "nope"], "Unknown queue"),
    ],
)
def test_rebuild_command_refuses_bad_arguments(taxonomy, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("rebuild_topic_shares", *args)


@pytest.mark.django_db(transaction=True)
def test_concurrent_recomputes_write_each_row_once(support, personas):
    write_support_day(support)
    services.mark_days_dirty({(support.pk, NOV_15), (support.pk, NOV_16)}, now=at(NOV_16, 18))
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait(timeout=30)
            services.recompute_dirty_days()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    concurrent = snapshot(support)
    rows = TopicShare.objects.filter(queue=support).count()
    TopicShare.objects.all().delete()
    services.rebuild_topic_shares(NOV_15, NOV_16, queue=support)

    assert errors == []
    assert rows == len(concurrent) == TopicShare.objects.filter(queue=support).count()
    assert concurrent == snapshot(support)
    assert not DirtyDay.objects.exists()
