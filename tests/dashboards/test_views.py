"""The dashboard page: its chooser, charts, tables and drill-down links."""

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from analytics.services import rebuild_topic_shares
from enquiries.models import Category, Enquiry
from feedback.models import EnquiryRating, SurveyResult
from tests.dashboards.dataset import at, make_enquiry
from tests.factories import ActionFactory, KpiFactory, KpiReadingFactory

pytestmark = pytest.mark.django_db


def _table(response, slug):
    return response.context["tables"][slug.replace("-", "_")]


def _row(table, label):
    return next(row for row in table.rows if str(row.values[0]) == label)


def _list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def _action_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_default_is_the_last_30_days_of_all_queues(client_as, current):
    response = client_as("manager").get("/dashboards/")

    scope = response.context["scope"]
    assert response.status_code == 200
    assert (scope.start, scope.end) == (
        current.today - datetime.timedelta(days=29),
        current.today,
    )
    assert scope.queue is None
    assert scope.interval == "day"
    assert response.context["form"]["period"].value() == "30d"


@pytest.mark.parametrize(
    ("period", "start", "end", "interval"),
    [
        ("7d", -6, 0, "day"),
        ("report-2010", datetime.date(2010, 7, 1), datetime.date(2010, 10, 31), "week"),
    ],
)
def test_presets_set_the_period(client_as, current, period, start, end, interval):
    response = client_as("manager").get("/dashboards/", {"period": period})

    scope = response.context["scope"]
    if isinstance(start, int):
        start = current.today + datetime.timedelta(days=start)
        end = current.today + datetime.timedelta(days=end)
    assert (scope.start, scope.end, scope.interval) == (start, end, interval)


def test_this_month_starts_on_the_first(client_as, current):
    scope = client_as("manager").get("/dashboards/", {"period": "month"}).context["scope"]

    assert (scope.start, scope.end) == (current.today.replace(day=1), current.today)


def test_start_and_end_alone_mean_a_custom_period(client_as, current):
    response = client_as("manager").get(
        "/dashboards/", {"start": "2010-09-01", "end": "2010-09-30"}
    )

    assert response.context["scope"].period == "custom"
    assert response.context["form"]["period"].value() == "custom"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "custom", "start": "2010-09-30", "end": "2010-09-01"}, "end"),
        ({"period": "custom", "start": "2010-09-01"}, "end"),
        ({"period": "custom", "start": "not a date", "end": "2010-09-01"}, "start"),
        ({"period": "custom", "start": "1990-01-01", "end": "2010-09-01"}, "end"),
        ({"period": "report-2010", "interval": "day", "start": "", "end": ""}, None),
        (
            {"period": "custom", "start": "2009-01-01", "end": "2010-09-01", "interval": "day"},
            "interval",
        ),
        ({"period": "yesterday"}, "period"),
        ({"queue": "nowhere"}, "queue"),
        ({"basis": "x" * 5000}, "basis"),
    ],
)
def test_bad_choices_give_the_form_back_with_the_field_named(client_as, current, query, field):
    response = client_as("manager").get("/dashboards/", query)

    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b'class="error-summary"' in response.content
    # What was typed is kept.
    typed = next(iter(value for key, value in query.items() if key == field), None)
    if typed and len(typed) < 50:
        assert typed.encode() in response.content


def test_page_draws_charts_from_json_script_with_the_vendored_library(client_as, current):
    response = client_as("manager").get("/dashboards/", current.query(queue="support"))

    html = response.content.decode()
    assert "vendor/chart-4.6.1.umd.min.js" in html
    assert "js/dashboard-charts.js" in html
    assert "cdn" not in html.lower()
    charts = json.loads(
        html.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0]
    )
    assert set(charts) == {
        "volume",
        "topics",
        "backlog",
        "compliance",
        "actions-status",
        "actions-theme",
        "kpis",
        "surveys",
        "ratings",
        "problems-time",
    }
    for slug in charts:
        assert f'data-chart="{slug}"' in html
        assert f'aria-describedby="chart-{slug}-help"' in html
    assert charts["topics"]["labels"][0] == "Temporary password"
    assert charts["topics"]["datasets"][0]["data"][0] == 42.9


def test_every_chart_has_its_table_with_a_caption_and_export_links(client_as, current):
    response = client_as("manager").get("/dashboards/", current.query(queue="support"))

    html = response.content.decode()
    for slug, table in response.context["tables"].items():
        assert f'<table id="table-{table.slug}"' in html
        assert f'<caption id="caption-{table.slug}">{escape(table.caption)}</caption>' in html
        assert f"/dashboards/export/{table.slug}.csv?" in html
        assert f"/dashboards/export/{table.slug}.xlsx?" in html, slug


def test_topic_table_reads_like_the_report(client_as, current):
    response = client_as("manager").get("/dashboards/", current.query(queue="support"))

    table = _table(response, "topics")
    assert table.headers[:2] == ["Topics", "Share of all (%)"]
    html = response.content.decode()
    assert "42.9" in html  # English in the tests; Danish shows 42,9


def test_danish_page_shows_decimal_commas(client_as, current):
    client = client_as("manager", language="da")

    html = client.get("/dashboards/", current.query(queue="support")).content.decode()

    assert "42,9" in html
    assert "42.9</td>" not in html


def test_topic_row_drills_down_to_the_enquiries_of_that_topic(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query(queue="support"))

    row = _row(_table(response, "topics"), "Temporary password")
    query = parse_qs(urlsplit(row.url).query)
    assert urlsplit(row.url).path == "/enquiries/"
    assert query == {
        "queue": ["support"],
        "received_after": [current.start.isoformat()],
        "received_before": [current.end.isoformat()],
        "topic": [str(current.topics["password"].pk)],
        "count": ["exact"],
    }
    assert _list_count(client, row.url) == 3  # E1, E2, E6; not E7 or E8


def test_the_chart_bar_links_where_the_table_row_does(client_as, current):
    response = client_as("manager").get("/dashboards/", current.query(queue="support"))

    table = _table(response, "topics")
    chart = response.context["charts"]["topics"]
    assert chart["datasets"][0]["urls"] == [row.url for row in table.rows]


def test_unclassified_topic_row_opens_the_unclassified_enquiries(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query(queue="support"))

    row = _row(_table(response, "topics"), "Not yet classified")
    assert parse_qs(urlsplit(row.url).query)["topic"] == ["null"]
    assert _list_count(client, row.url) == row.values[2]


def test_headline_figures_drill_down_to_lists_of_the_same_count(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query(queue="support"))
    summary = _table(response, "summary")

    for label in [
        "Enquiries received",
        "Open backlog",
        "Resolved or closed",
        "Open and past a deadline",
        "Escalations to level 1",
        "Escalations to level 2",
    ]:
        row = _row(summary, label)
        assert _list_count(client, row.url) == row.values[1], label
    level_1 = _row(summary, "Escalations to level 1")
    assert parse_qs(urlsplit(level_1.url).query)["escalated"] == ["1"]
    assert level_1.values[1] == 2  # E4 (escalated twice) and E5, not E7
    for label in ["Actions done", "Actions in progress", "Actions overdue"]:
        row = _row(summary, label)
        assert urlsplit(row.url).path == "/actions/"
        assert _action_count(client, row.url) == row.values[1], label
    alerts = _row(summary, "Open pattern alerts")
    assert alerts.url == "/analytics/alerts/?status=open&queue=support"
    page = client.get(alerts.url)
    assert page.context["page_obj"].paginator.count == alerts.values[1]


def test_backlog_bucket_drills_down_to_open_enquiries_received_then(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query(queue="support"))

    row = _row(_table(response, "backlog"), "1–2 days")
    query = parse_qs(urlsplit(row.url).query)
    assert query["is_open"] == ["true"]
    assert query["received_after"] == [(current.today - datetime.timedelta(days=2)).isoformat()]
    assert query["received_before"] == [current.end.isoformat()]
    assert _list_count(client, row.url) == row.values[1] == 2
    empty = _row(_table(response, "backlog"), "3–6 days")
    assert empty.url is None


def test_compliance_drills_down_to_the_overdue_enquiries_of_the_day(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query(queue="support"))

    day = current.today - datetime.timedelta(days=7)
    row = next(r for r in _table(response, "compliance").rows if r.values[0] == day)
    url = row.links[4]
    query = parse_qs(urlsplit(url).query)
    assert query["overdue"] == ["true"]
    assert query["received_after"] == query["received_before"] == [day.isoformat()]
    assert _list_count(client, url) == 1  # E4


def test_volume_segment_drills_down_to_topic_and_day(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query(queue="support"))

    chart = response.context["charts"]["volume"]
    password = chart["datasets"][0]
    index = chart["labels"].index(
        response.context["tables"]["volume"].rows[0].values[0].strftime("%m/%d/%Y")
    )
    assert password["label"] == "Temporary password"
    assert _list_count(client, password["urls"][index]) == 1


def test_action_theme_cells_drill_down_to_the_filtered_action_list(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query())

    row = _row(_table(response, "actions-theme"), "Support")
    assert parse_qs(urlsplit(row.url).query) == {"theme": ["support"]}
    assert _action_count(client, row.url) == 3
    in_progress = row.links[3]
    assert parse_qs(urlsplit(in_progress).query) == {
        "theme": ["support"],
        "status": ["in_progress"],
    }
    assert _action_count(client, in_progress) == 1
    overdue = row.links[7]
    assert _action_count(client, overdue) == 1


def test_all_queues_leave_the_queue_out_of_the_links(client_as, current):
    response = client_as("manager").get("/dashboards/", current.query())

    row = _row(_table(response, "summary"), "Enquiries received")
    assert "queue" not in parse_qs(urlsplit(row.url).query)
    assert row.values[1] == 8


def test_topic_names_carry_their_queue_when_queues_are_mixed(client_as, current):
    response = client_as("manager").get("/dashboards/", current.query())

    labels = [row.values[0] for row in _table(response, "topics").rows]
    assert "NemID support (DanID): Temporary password" in labels


def _more_data(current):
    """Many more rows of every kind the dashboard reads."""
    categories = list(Category.objects.filter(topic__queue=current.support)[:12])
    enquiries = []
    for index in range(60):
        day = current.start + datetime.timedelta(days=index % 14)
        enquiry = make_enquiry(
            current.support,
            at(day, 8 + index % 9),
            categories[index % len(categories)],
            status=Enquiry.Status.RESOLVED if index % 2 else Enquiry.Status.NEW,
            first_responded_at=at(day, 18),
            resolved_at=at(day, 19) if index % 2 else None,
            resolution_due_at=at(day, 20),
        )
        enquiries.append(enquiry)
    EnquiryRating.objects.bulk_create(
        EnquiryRating(enquiry=e, score=1 + i % 5, source="agent", recorded_at=e.received_at)
        for i, e in enumerate(enquiries[::2])
    )
    for _index in range(10):
        # On a support topic, so a team lead sees them too.
        action = ActionFactory(
            status="in_progress", overdue=True, topics=[current.topics["activation"]]
        )
        kpi = KpiFactory(action=action)
        KpiReadingFactory(kpi=kpi)
    SurveyResult.objects.create(
        source="Ny måling", published_on=current.today, respondents=10, share_satisfied=50
    )
    rebuild_topic_shares(current.start, current.end, now=current.now)


@pytest.mark.parametrize("persona", ["manager", "team_lead"])
def test_queries_stay_the_same_for_more_data(
    client_as, current, persona, django_assert_num_queries, settings
):
    # Every request reads its figures: none are kept (dashboards.cache).
    settings.DASHBOARD_CACHE_SECONDS = 0
    client = client_as(persona)
    client.get("/dashboards/", current.query())  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get("/dashboards/", current.query()).status_code == 200
    _more_data(current)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/dashboards/", current.query())

    assert len(response.context["tables"]["actions_overdue"].rows) == 10

    # The team lead's dashboard has the support queue only (no ministry letter).
    expected = 68 if persona == "manager" else 67
    assert _row(_table(response, "summary"), "Enquiries received").values[1] == expected


@pytest.mark.parametrize(("persona", "linked"), [("manager", True), ("team_lead", False)])
def test_satisfaction_figures_link_to_the_satisfaction_page(
    client_as, current, settings, persona, linked
):
    settings.ROOT_URLCONF = "tests.dashboards.urls_with_feedback"

    response = client_as(persona).get("/dashboards/", current.query())

    page = reverse("feedback:satisfaction")
    rating = _row(_table(response, "summary"), "Mean rating by citizens")
    period = f"recorded_from={current.start.isoformat()}&recorded_to={current.end.isoformat()}"
    assert (rating.url == f"{page}?{period}#ratings-heading") is linked
    if linked:
        survey = _row(_table(response, "summary"), "Satisfied in the latest survey")
        assert survey.url.startswith(f"{page}#survey-")


def test_survey_rows_and_bars_open_the_survey_on_the_satisfaction_page(client_as, current):
    client = client_as("manager")
    response = client.get("/dashboards/", current.query())

    table = _table(response, "surveys")
    page = reverse("feedback:satisfaction")
    urls = [row.url for row in table.rows]
    assert urls and all(url.startswith(f"{page}#survey-") for url in urls)
    assert response.context["charts"]["surveys"]["datasets"][0]["urls"] == urls
    satisfaction = client.get(page).content.decode()
    for url in urls:
        assert f'id="{url.split("#")[1]}"' in satisfaction


@pytest.mark.parametrize("queue", [None, "support"])
def test_rating_months_drill_down_to_the_scores_of_the_same_ratings(client_as, current, queue):
    client = client_as("manager")
    query = current.query(queue=queue) if queue else current.query()
    response = client.get("/dashboards/", query)

    table = _table(response, "ratings")
    assert table.rows
    for row in table.rows:
        assert "#ratings-heading" in row.url
        assert ("queue=support" in row.url) is (queue is not None)
        drilled = client.get(row.url)
        assert drilled.status_code == 200
        assert drilled.context["ratings"]["count"] == row.values[1]
    total = _row(_table(response, "summary"), "Mean rating by citizens")
    assert client.get(total.url).context["ratings"]["count"] == table.total.values[1]
    assert response.context["charts"]["ratings"]["datasets"][0]["urls"] == [
        row.url for row in table.rows
    ]
