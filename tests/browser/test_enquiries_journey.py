"""An agent on the phone logs an enquiry and resolves it with the keyboard alone.

No mouse: only Tab, typing, Enter and arrow keys. Elements are found by id
and name, not by text, so the test holds once the Danish catalogue lands.
"""

import re

import pytest
from playwright.sync_api import expect

from enquiries.models import Category, Enquiry
from tests.factories import CitizenFactory, EnquiryFactory


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"the keyboard never reached {selector}")


@pytest.mark.django_db(transaction=True)
def test_agent_logs_a_phone_enquiry_and_resolves_it_by_keyboard(
    live_server, page, login, taxonomy, assert_accessible
):
    citizen = CitizenFactory(name="Inger Christensen", cpr="0703421234")
    category = Category.objects.get(topic__queue=taxonomy["support"], code="ikke-modtaget")
    EnquiryFactory(category=category, overdue=True)
    login(page, "agent")

    page.goto(f"{live_server.url}/enquiries/")
    assert_accessible(page)

    # A CPR number typed into the list's search is not sent: it would end
    # up in the address. The page points to the citizen look-up instead.
    tab_to(page, "#id_q")
    page.keyboard.type("070342-1234")
    page.keyboard.press("Enter")
    expect(page.locator("#q-cpr-warning")).to_be_visible()
    expect(page.locator("#id_q")).to_have_attribute("aria-invalid", "true")
    assert "1234" not in page.url

    page.goto(f"{live_server.url}/enquiries/new/")
    expect(page.locator("#id_citizen_query")).to_be_focused()
    assert_accessible(page)

    # Enter before anything is typed: the form comes back naming the field.
    tab_to(page, "#id_subject")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_subject")).to_be_focused()
    assert_accessible(page)

    # Find the caller by CPR number; the single match is chosen and focused.
    tab_to(page, "#id_citizen_query", backwards=True)
    page.keyboard.type("070342-1234")
    page.keyboard.press("Enter")
    match = page.locator(f"#citizen-{citizen.pk}")
    expect(match).to_be_focused()
    expect(match).to_be_checked()
    expect(page.locator("#new-citizen")).to_be_hidden()

    tab_to(page, "#id_subject")
    page.keyboard.type("Har ikke fået den midlertidige adgangskode")

    # Category by type-ahead: type, move with the arrows, choose with Enter.
    tab_to(page, "#id_category")
    page.keyboard.type("ikke modt")
    listbox = page.locator("#id_category_listbox")
    expect(listbox).to_be_visible()
    expect(listbox.locator("[role=option]")).to_have_count(2)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#id_category")).to_have_attribute(
        "aria-activedescendant", f"id_category_option_{category.pk}"
    )
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(page.locator("#id_category_value")).to_have_value(str(category.pk))

    tab_to(page, "#id_description")
    page.keyboard.type("Bestilt for to uger siden.")
    tab_to(page, ".actions-row button[value=save]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/enquiries/NID-\d{4}-\d{6}/$"))
    enquiry = Enquiry.objects.get(subject="Har ikke fået den midlertidige adgangskode")
    assert (enquiry.citizen, enquiry.category) == (citizen, category)
    assert_accessible(page)

    # Resolve on the detail page.
    tab_to(page, "#id_resolution")
    page.keyboard.type("Ny midlertidig adgangskode bestilt.")
    tab_to(page, "button[name=status][value=resolved]")
    page.keyboard.press("Enter")

    expect(page.locator(".badge--resolved")).to_be_visible()
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.RESOLVED
    assert enquiry.resolution == "Ny midlertidig adgangskode bestilt."
