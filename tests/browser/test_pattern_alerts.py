import datetime

import pytest

from analytics import services
from analytics.models import PatternAlert
from tests.analytics.helpers import at, category_of, make_enquiries

MONDAY = datetime.date(2010, 11, 15)


@pytest.fixture
def spike(taxonomy):
    """Six quiet weeks of "temporary password not received", then a spike."""
    support = taxonomy["support"]
    category = category_of(support, "midlertidig-adgangskode", "ikke-modtaget")
    for back in range(6, 0, -1):
        monday = MONDAY - datetime.timedelta(weeks=back)
        make_enquiries(support, received_at=at(monday), category=category, n=4)
    make_enquiries(support, received_at=at(MONDAY), category=category, n=30)
    services.rebuild_topic_shares(MONDAY - datetime.timedelta(weeks=7), MONDAY, now=at(MONDAY, 18))
    return PatternAlert.objects.get(level="topic")


@pytest.mark.django_db(transaction=True)
def test_secretariat_reviews_an_alert_chart_and_dismisses_it(
    live_server, page, login, spike, assert_accessible
):
    login(page, "secretariat")
    page.goto(f"{live_server.url}/analytics/alerts/")

    canvas = page.locator(f"#alert-{spike.pk}-chart")
    page.wait_for_function(
        "(id) => Chart.getChart(document.getElementById(id))", arg=canvas.get_attribute("id")
    )
    assert page.locator("table caption").first.is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/analytics/alerts/{spike.pk}/")
    dismiss = page.locator("form[action$='/dismiss/']")
    with page.expect_navigation():
        dismiss.locator("button[type=submit]").click()
    assert page.locator("#id_dismiss-reason_error").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_dismiss-reason"
    assert_accessible(page)

    page.locator("#id_dismiss-reason").fill("Kendt fejl hos printleverandøren")
    with page.expect_navigation():
        page.locator("form[action$='/dismiss/'] button[type=submit]").click()

    assert page.url.endswith("/analytics/alerts/")
    spike.refresh_from_db()
    assert spike.status == PatternAlert.Status.DISMISSED
