"""A team lead finds breached enquiries on the deadline page and reassigns them."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enquiries import services
from enquiries.models import Enquiry
from seed.reference import load_sla_policies
from tests.factories import UserFactory
from tests.integration.fixtures import broker  # noqa: F401  (a fixture)


# The committed overdue enquiries enqueue escalations: keep them off the
# development broker.
@pytest.mark.usefixtures("broker")
@pytest.mark.django_db(transaction=True)
def test_team_lead_reassigns_breached_enquiries_by_keyboard(
    live_server, page, login, assert_accessible, taxonomy, personas, support_team
):
    load_sla_policies()
    late = [
        services.register_enquiry(
            taxonomy["support"],
            by=personas["agent"],
            channel="letter",
            subject=f"Brevet med koden kom aldrig ({n})",
            received_at=timezone.now() - datetime.timedelta(days=10 + n),
        )
        for n in range(3)
    ]
    taker = UserFactory(
        username="alth", first_name="Ali", last_name="Thomsen", role="support_agent",
        team=support_team,
    )  # fmt: skip
    UserFactory(
        username="alit", first_name="Ali", last_name="Thomsen", role="support_agent",
        team=support_team,
    )  # fmt: skip
    login(page, "team_lead")

    page.goto(f"{live_server.url}/enquiries/breaches/?sort=reference")
    current = page.locator('.site-nav a[aria-current="page"]')
    assert current.get_attribute("href") == "/enquiries/breaches/"
    assert "badge--overdue" in page.locator(f"#enquiry-{late[0].pk}").inner_html()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Reference")
    # One reassign control, no select on any row.
    assert page.locator("#breach-table select").count() == 0
    assert_accessible(page)

    for enquiry in late[:2]:
        page.locator(f"#select-{enquiry.pk}").focus()
        page.keyboard.press("Space")
    page.locator("#id_assignee").focus()
    page.keyboard.type("Ali Thom")
    listbox = page.locator("#id_assignee_listbox")
    expect(listbox.locator("[role=option]")).to_have_count(2)
    # Namesakes told apart by their usernames.
    expect(listbox).to_contain_text("Ali Thomsen (alit · NemID-support)")
    expect(listbox).to_contain_text("Ali Thomsen (alth · NemID-support)")
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_assignee")).to_have_attribute(
        "aria-activedescendant", f"id_assignee_option_{taker.pk}"
    )
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Ali Thomsen")
    assigned = {e.pk: e.assignee for e in Enquiry.objects.filter(pk__in=[e.pk for e in late])}
    assert assigned == {late[0].pk: taker, late[1].pk: taker, late[2].pk: None}
    batches = {e.events.get(kind="assigned").batch for e in late[:2]}
    assert len(batches) == 1 and None not in batches
