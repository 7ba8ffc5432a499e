"""Each dashboard table downloads as it is shown, in Danish formats."""

import datetime

import pytest

from tests.exports.conftest import da, read_csv, read_xlsx
from tests.factories import KpiFactory, KpiReadingFactory

pytestmark = pytest.mark.django_db

TABLES = [
    "summary",
    "volume",
    "topics",
    "backlog",
    "compliance",
    "actions-status",
    "actions-theme",
    "actions-overdue",
    "kpis",
    "surveys",
    "ratings",
]


@pytest.mark.parametrize("slug", TABLES)
def test_every_table_exports_its_rows_in_both_formats(client_as, current, slug):
    client = client_as("manager")
    page = client.get("/dashboards/", current.query(queue="support"))
    table = page.context["tables"][slug.replace("-", "_")]

    csv_rows = read_csv(
        client.get(f"/dashboards/export/{slug}.csv", current.query(queue="support"))
    )
    xlsx_rows = read_xlsx(
        client.get(f"/dashboards/export/{slug}.xlsx", current.query(queue="support"))
    )

    expected = len(table.rows) + (1 if table.total else 0)
    assert len(csv_rows) == len(xlsx_rows) == expected + 1
    assert len(csv_rows[0]) == len(table.headers)


def test_topic_table_export_reads_like_the_report(client_as, current):
    response = client_as("manager").get(
        "/dashboards/export/topics.csv", current.query(queue="support")
    )

    rows = read_csv(response)
    assert rows[0] == [da("Topics"), da("Share of all (%)"), da("Enquiries")]
    assert rows[1] == ["Midlertidig adgangskode", "42,9", "3"]
    assert rows[-1] == [da("Total"), "100,0", "7"]
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="dashboard-topics-{current.start:%Y%m%d}-{current.end:%Y%m%d}-'
    )


def test_topic_table_xlsx_has_numbers_with_one_decimal(client_as, current):
    response = client_as("manager").get(
        "/dashboards/export/topics.xlsx", current.query(queue="support")
    )

    rows = read_xlsx(response)
    assert rows[1] == ["Midlertidig adgangskode", 42.9, 3]


def test_day_buckets_export_as_dates(client_as, current):
    rows = read_csv(
        client_as("manager").get("/dashboards/export/volume.csv", current.query(queue="support"))
    )

    assert rows[1][0] == current.start.strftime("%d-%m-%Y")
    xlsx = read_xlsx(
        client_as("manager").get("/dashboards/export/volume.xlsx", current.query(queue="support"))
    )
    assert xlsx[1][0] == datetime.datetime.combine(current.start, datetime.time())


def test_negative_numbers_stay_numbers_and_text_formulas_do_not(client_as, current):
    action = current.actions["A1"]
    action.title = "=HYPERLINK(1)"
    action.save()
    kpi = KpiFactory(action=action, metric="-Ventetid", baseline=-5, target=-1)
    KpiReadingFactory(kpi=kpi, measured_on=datetime.date(2010, 8, 1), value=-3)
    client = client_as("manager")

    csv_rows = read_csv(client.get("/dashboards/export/kpis.csv", current.query()))
    xlsx_rows = read_xlsx(client.get("/dashboards/export/kpis.xlsx", current.query()))

    csv_row = next(row for row in csv_rows if row[0] == "'-Ventetid")
    assert csv_row[1] == "'=HYPERLINK(1)"
    assert csv_row[3:5] == ["-5,00", "-3,00"]
    assert csv_row[7] == "50,0"
    xlsx_row = next(row for row in xlsx_rows if row[0] == "'-Ventetid")
    assert xlsx_row[3:5] == [-5, -3]


def test_dashboard_export_keeps_the_period_and_queue(client_as, current):
    client = client_as("manager")

    support = read_csv(client.get("/dashboards/export/summary.csv", current.query(queue="support")))
    everything = read_csv(client.get("/dashboards/export/summary.csv", current.query()))

    assert support[1][:2] == [da("Enquiries received"), "7"]
    assert everything[1][:2] == [da("Enquiries received"), "8"]


def test_page_export_links_carry_the_choices(client_as, current):
    response = client_as("manager").get("/dashboards/", current.query(queue="support"))

    table = response.context["tables"]["topics"]
    assert table.export_urls["csv"] == (
        "/dashboards/export/topics.csv?period=custom&basis=enquiry&interval=day"
        f"&start={current.start.isoformat()}&end={current.end.isoformat()}&queue=support"
    )
