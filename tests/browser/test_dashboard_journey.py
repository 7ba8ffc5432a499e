"""A manager reads the dashboard, narrows the period, drills into a topic, exports."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.dashboards.dataset import make_dataset


@pytest.fixture
def data(taxonomy, personas):
    return make_dataset(timezone.now())


@pytest.mark.django_db(transaction=True)
def test_manager_changes_the_period_drills_into_a_topic_and_downloads_xlsx(
    live_server, page, login, assert_accessible, data
):
    login(page, "manager")
    expect(page).to_have_url(f"{live_server.url}/dashboards/")

    page.locator("#id_period").select_option("custom")
    page.locator("#id_start").fill(data.start.isoformat())
    page.locator("#id_end").fill(data.end.isoformat())
    page.locator("#id_queue").select_option("support")
    with page.expect_navigation():
        page.locator("#dashboard-form button[type=submit]").click()

    query = parse_qs(urlsplit(page.url).query)
    assert query["start"] == [data.start.isoformat()]
    assert query["queue"] == ["support"]
    page.wait_for_function("() => Chart.getChart(document.getElementById('chart-topics'))")
    expect(page.locator("#table-topics caption")).to_be_visible()
    expect(page.locator("#table-topics tbody tr").first).to_contain_text("42,9")
    assert_accessible(page)

    # From the keyboard: focus the topic chart, first bar, Enter.
    page.locator("#chart-topics").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#chart-topics-live")).to_contain_text("42,9")
    page.keyboard.press("Enter")
    page.wait_for_url("**/enquiries/?**")

    landed = parse_qs(urlsplit(page.url).query)
    assert landed == {
        "queue": ["support"],
        "received_after": [data.start.isoformat()],
        "received_before": [data.end.isoformat()],
        "topic": [str(data.topics["password"].pk)],
        # The list counts exactly what the figure counted.
        "count": ["exact"],
    }
    rows = page.locator("table.enquiry-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#id_topic")).to_have_value(str(data.topics["password"].pk))

    page.go_back()
    page.wait_for_load_state()
    with page.expect_download() as download_info:
        page.locator("a[href^='/dashboards/export/topics.xlsx']").click()
    download = download_info.value

    assert download.suggested_filename.startswith("dashboard-topics-")
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1] == ["Midlertidig adgangskode", 42.9, 3]
    assert sheet["B2"].number_format == "0.0"
    assert rows[-1][1:] == [100.0, 7]


@pytest.mark.django_db(transaction=True)
def test_manager_drills_from_a_month_of_ratings_to_its_scores(
    live_server, page, login, assert_accessible, data
):
    login(page, "manager")
    page.goto(f"{live_server.url}/dashboards/?period=custom&start={data.start}&end={data.end}")

    row = page.locator("#table-ratings tbody tr").first
    count = row.locator("td").first.inner_text()
    row.locator("th a").click()
    page.wait_for_url("**/feedback/?**")

    assert parse_qs(urlsplit(page.url).query)["recorded_to"]
    expect(page.locator("#rating-filters")).to_be_visible()
    expect(page.locator("#id_recorded_from")).not_to_have_value("")
    # The summary opens with the number of ratings: the month's count.
    expect(page.locator("#rating-summary")).to_have_text(re.compile(rf"^\s*{count}\D"))
    assert_accessible(page)
