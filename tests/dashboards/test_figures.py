"""The dashboard's figures against values worked out by hand (see conftest)."""

import datetime
from decimal import Decimal

import pytest

from dashboards import figures
from dashboards.tables import Dashboard

pytestmark = pytest.mark.django_db


def _summary(dashboard: Dashboard) -> dict:
    return {str(row.values[0]): row.values[1] for row in dashboard.summary_table().rows}


def test_enquiry_counts_of_the_support_queue(fixed):
    counts = figures.enquiry_counts(fixed.scope(queue=fixed.support))

    assert counts["received"] == 7  # E7 (today) and E8 (the day before) are outside
    assert counts["open"] == 4  # E4, E5, E6, E10
    assert counts["resolved"] == 3  # E1, E2 (closed), E3
    assert counts["resolved_with_deadline"] == 3
    assert counts["resolved_on_time"] == 2  # E2 took 48 h against 24 h
    assert counts["overdue"] == 2  # E4 past resolution, E5 past first response; E10 paused


def test_all_queues_count_the_ministry_letter_too(fixed):
    counts = figures.enquiry_counts(fixed.scope())

    assert counts["received"] == 8
    assert counts["open"] == 5


def test_an_enquiry_at_half_past_eleven_counts_on_its_copenhagen_day(fixed):
    e6 = fixed.enquiries["E6"]
    assert e6.received_at.astimezone(datetime.UTC).date() == fixed.end
    counts = figures.enquiry_counts(fixed.scope(queue=fixed.support))

    assert counts["received"] == 7
    assert fixed.enquiries["E7"].received_at.date() == fixed.today


def test_medians_interpolate_an_even_count_and_take_the_middle_of_an_odd_one(fixed):
    medians = figures.response_medians(fixed.scope(queue=fixed.support))

    # First responses 10, 15, 20, 40, 60, 120 min: (20 + 40) / 2.
    assert medians["first_response"] == datetime.timedelta(minutes=30)
    # Resolutions 2 h, 6 h, 48 h.
    assert medians["resolution"] == datetime.timedelta(hours=6)


def test_medians_of_nothing_are_none(fixed):
    scope = fixed.scope(queue=fixed.support)
    empty = type(scope)(**{**scope.__dict__, "start": datetime.date(2001, 1, 1)})
    empty = type(scope)(**{**empty.__dict__, "end": datetime.date(2001, 1, 2)})

    assert figures.response_medians(empty) == {"first_response": None, "resolution": None}


def test_escalations_count_each_enquiry_once_per_level_from_the_timeline(fixed):
    # E4 reached level 1 twice (reopened), E5 once; E7 is outside the period.
    assert figures.escalations(fixed.scope(queue=fixed.support)) == {1: 2, 2: 1}


def test_open_backlog_by_age_in_whole_days(fixed):
    counts = figures.enquiry_counts(fixed.scope(queue=fixed.support))

    ages = {bucket.key: counts[f"age_{bucket.key}"] for bucket in figures.AGE_BUCKETS}
    assert ages == {"0": 0, "1-2": 2, "3-6": 0, "7-13": 2, "14-29": 0, "30": 0}


def test_summary_table_holds_the_headline_figures(fixed, personas):
    dashboard = Dashboard(fixed.scope(queue=fixed.support), personas["manager"])

    summary = _summary(dashboard)

    assert summary["Enquiries received"] == 7
    assert summary["Open backlog"] == 4
    assert summary["Resolved or closed"] == 3
    assert summary["Open and past a deadline"] == 2
    assert summary["Median time to first response"] == Decimal("0.5")
    assert summary["Median time to resolution"] == Decimal("6.0")
    assert summary["Resolved within the deadline"] == Decimal("66.7")
    assert summary["Escalations to level 1"] == 2
    assert summary["Escalations to level 2"] == 1
    assert summary["Open pattern alerts"] == 1  # the dismissed and the ministry's are not
    assert summary["Actions done"] == 1
    assert summary["Actions in progress"] == 1
    assert summary["Actions overdue"] == 2  # A2 and A4; A5 is cancelled
    assert summary["Satisfied in the latest survey"] == Decimal("81.0")
    assert summary["Mean rating by citizens"] == Decimal("3.67")  # (5 + 2 + 4) / 3


def test_topic_shares_come_from_the_snapshots_with_one_decimal(fixed, personas):
    dashboard = Dashboard(fixed.scope(queue=fixed.support), personas["manager"])

    table = dashboard.topic_table()

    rows = [(row.values[0], row.values[1], row.values[2]) for row in table.rows]
    assert rows == [
        ("Temporary password", Decimal("42.9"), 3),
        ("Activation of NemID", Decimal("28.6"), 2),
        ("Forgotten password", Decimal("14.3"), 1),
        ("Not yet classified", Decimal("14.3"), 1),
    ]
    assert table.total.values == ["Total", Decimal("100.0"), 7]


def test_topic_shares_per_mention_count_further_topics(fixed, personas):
    scope = fixed.scope(queue=fixed.support, basis="mention")
    table = Dashboard(scope, personas["manager"]).topic_table()

    rows = [(row.values[0], row.values[1], row.values[2]) for row in table.rows]
    assert rows == [
        ("Temporary password", Decimal("42.9"), 3),
        ("Activation of NemID", Decimal("28.6"), 2),
        ("Forgotten password", Decimal("28.6"), 2),
    ]
    assert table.headers[2] == "Mentions"


def test_volume_per_day_stacks_the_largest_topics(fixed, personas):
    table = Dashboard(fixed.scope(queue=fixed.support), personas["manager"]).volume_table()

    assert table.headers == [
        "Period",
        "Temporary password",
        "Activation of NemID",
        "Forgotten password",
        "Other topics and unclassified",
        "All",
    ]
    assert len(table.rows) == 14
    by_day = {row.values[0]: row.values[1:] for row in table.rows}
    assert by_day[fixed.start] == [1, 0, 0, 0, 1]
    assert by_day[fixed.start + datetime.timedelta(days=4)] == [0, 0, 0, 1, 1]  # E10
    assert by_day[fixed.end] == [1, 0, 0, 0, 1]  # E6 at 23:30
    assert sum(values[-1] for values in by_day.values()) == 7


def test_volume_per_week_sums_the_days_inside_the_period_only(fixed, personas):
    table = Dashboard(
        fixed.scope(queue=fixed.support, interval="week"), personas["manager"]
    ).volume_table()

    assert sum(row.values[-1] for row in table.rows) == 7
    assert table.rows[0].values[0].startswith("week ")


def test_deadline_compliance_per_day(fixed, personas):
    table = Dashboard(fixed.scope(queue=fixed.support), personas["manager"]).compliance_table()

    by_day = {row.values[0]: row.values[1:] for row in table.rows}
    assert by_day[fixed.start] == [1, 1, Decimal("100.0"), 0]
    assert by_day[fixed.start + datetime.timedelta(days=1)] == [1, 0, Decimal("0.0"), 0]
    assert by_day[fixed.start + datetime.timedelta(days=7)] == [0, 0, None, 1]  # E4
    assert by_day[fixed.end - datetime.timedelta(days=1)] == [0, 0, None, 1]  # E5


def test_actions_by_status_and_theme(fixed, personas):
    dashboard = Dashboard(fixed.scope(), personas["manager"])

    status = {row.values[0]: row.values[1] for row in dashboard.action_status_table().rows}
    theme = {row.values[0]: row.values[1:] for row in dashboard.action_theme_table().rows}

    assert status == {
        "Proposed": 1,
        "Planned": 1,
        "In progress": 1,
        "Done": 1,
        "Found insufficient": 0,
        "Cancelled": 1,
    }
    # Proposed, planned, in progress, done, insufficient, cancelled, overdue.
    assert theme == {"Support": [0, 0, 1, 1, 0, 1, 1], "Communication": [1, 1, 0, 0, 0, 0, 1]}


def test_overdue_actions_are_listed_longest_overdue_first(fixed, personas):
    table = Dashboard(fixed.scope(), personas["manager"]).overdue_table()

    assert [row.values[0] for row in table.rows] == ["Ny telefonmenu", "Pjece til ældre"]
    assert table.rows[0].url == f"/actions/{fixed.actions['A2'].pk}/"


def test_kpi_progress_uses_the_latest_reading(fixed, personas):
    table = Dashboard(fixed.scope(), personas["manager"]).kpi_table()

    rows = {row.values[0]: row.values for row in table.rows}
    assert rows["Medarbejdere"][3:] == [
        Decimal("60.00"),
        Decimal("270.00"),
        datetime.date(2010, 11, 1),
        Decimal("270.00"),
        Decimal("100.0"),
    ]
    assert rows["Telefonlinjer"][4:] == [
        Decimal("90.00"),
        datetime.date(2010, 9, 1),
        Decimal("120.00"),
        Decimal("50.0"),
    ]


def test_satisfaction_surveys_and_monthly_ratings(fixed, personas):
    dashboard = Dashboard(fixed.scope(queue=fixed.support), personas["manager"])

    surveys = [row.values for row in dashboard.survey_table().rows]
    ratings = dashboard.rating_table()

    assert [(s[0], s[3], s[4], s[5]) for s in surveys] == [
        ("A&B Analyse for kommunen", 1426, None, Decimal("77.0")),
        ("M3 med MEC for DanID", 1500, 713, Decimal("81.0")),
    ]
    assert [row.values[1:] for row in ratings.rows] == [[3, Decimal("3.67")]]
    assert ratings.total.values[1:] == [3, Decimal("3.67")]
