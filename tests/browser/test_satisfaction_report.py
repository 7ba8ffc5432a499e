"""A citizen rates through the signed link; a manager reads the report from data."""

import pytest

from feedback import services
from feedback.models import EnquiryRating
from tests.browser.conftest import da
from tests.factories import CitizenFactory
from tests.feedback.conftest import resolve
from tests.reports.data import write_report_autumn


@pytest.mark.django_db(transaction=True)
def test_a_citizen_rates_through_the_link_and_only_the_button_records(
    live_server, page, taxonomy, personas, assert_accessible
):
    enquiry = resolve(
        taxonomy["support"], personas["agent"], citizen=CitizenFactory(email="k@example.invalid")
    )
    url = live_server.url + services.rating_link(enquiry).split("127.0.0.1:8000", 1)[-1]

    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page)
    assert not EnquiryRating.objects.exists()

    with page.expect_navigation():
        page.get_by_role("button", name=da("Send rating")).click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)

    page.locator("label[for='id_rating-score_3']").click()
    with page.expect_navigation():
        page.get_by_role("button", name=da("Send rating")).click()

    assert page.get_by_role("heading", level=1).inner_text() == da("Thank you for your rating")
    assert_accessible(page)
    assert EnquiryRating.objects.get().score == 4


@pytest.mark.django_db(transaction=True)
def test_a_manager_chooses_a_period_and_reads_the_report(
    live_server, page, login, taxonomy, assert_accessible
):
    write_report_autumn(taxonomy)
    login(page, "manager")

    page.goto(f"{live_server.url}/reports/")
    assert page.locator("#shares-support tbody tr").first.inner_text().split() == [
        "Midlertidig",
        "adgangskode",
        "30,9%",
    ]
    assert_accessible(page)

    page.locator("#id_start").fill("2010-10-01")
    with page.expect_navigation():
        page.get_by_role("button", name=da("Show report")).click()

    assert "start=2010-10-01" in page.url
    assert "1. oktober 2010" in page.locator("#report-title").inner_text()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_an_agent_records_the_callers_rating_on_the_enquiry_page(
    live_server, page, login, taxonomy, personas, assert_accessible
):
    enquiry = resolve(taxonomy["support"], personas["agent"])
    login(page, "agent")

    page.goto(f"{live_server.url}/enquiries/{enquiry.reference}/")
    assert_accessible(page)
    page.locator("label[for='id_rating-score_4']").click()
    with page.expect_navigation():
        page.get_by_role("button", name=da("Record rating")).click()

    assert page.locator(".rating-score").inner_text() == da("Rated %(score)s of 5") % {"score": 5}
    assert_accessible(page)
    assert EnquiryRating.objects.get().source == "agent"
