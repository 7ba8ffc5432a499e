"""A team lead finds a breached enquiry on the deadline page and reassigns it."""

import datetime

import pytest
from django.utils import timezone

from enquiries import services
from enquiries.models import Enquiry
from enquiries.reference_data import load_sla_policies
from tests.integration.fixtures import broker  # noqa: F401  (a fixture)


# The committed overdue enquiry enqueues an escalation: keep it off the
# development broker.
@pytest.mark.usefixtures("broker")
@pytest.mark.django_db(transaction=True)
def test_team_lead_reassigns_a_breached_enquiry_by_keyboard(
    live_server, page, login, assert_accessible, taxonomy, personas
):
    load_sla_policies()
    enquiry = services.register_enquiry(
        taxonomy["support"],
        by=personas["agent"],
        channel="letter",
        subject="Brevet med koden kom aldrig",
        received_at=timezone.now() - datetime.timedelta(days=10),
    )
    login(page, "team_lead")

    page.goto(f"{live_server.url}/enquiries/breaches/")
    current = page.locator('.site-nav a[aria-current="page"]')
    assert current.get_attribute("href") == "/enquiries/breaches/"
    row = page.locator(f"#enquiry-{enquiry.pk}")
    assert "badge--overdue" in row.inner_html()
    assert_accessible(page)

    select = row.locator("select")
    select.focus()
    select.select_option(str(personas["agent"].pk))
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert enquiry.reference in page.locator(".messages").inner_text()
    enquiry.refresh_from_db()
    assert enquiry.assignee == personas["agent"]
    assert Enquiry.objects.get(pk=enquiry.pk).events.filter(kind="assigned").exists()
