"""Outage notices in a browser: the secretariat publishes an incident (a
draft a manager approves, as the role table says), an anonymous visitor
sees /status/ change only after the approval, an agent sees the banner;
each page passes axe (WCAG 2.1 AA)."""

import pytest
from playwright.sync_api import expect

from notices.models import Incident, PublicationDraft
from notices.services import add_standard_text_version


@pytest.mark.django_db(transaction=True)
def test_secretariat_publishes_and_the_public_and_the_agents_see_it(
    live_server, browser, page, login, assert_accessible, personas
):
    add_standard_text_version(
        "login-down",
        text_da="Log-in med NemID virker ikke lige nu. Vi arbejder på sagen.",
        text_en="Log-in with NemID does not work right now. We are working on it.",
    )
    visitor = browser.new_context(locale="da-DK").new_page()
    visitor.goto(f"{live_server.url}/status/")
    expect(visitor.locator("main")).to_contain_text("Alle NemID-tjenester kører normalt.")
    assert_accessible(visitor)

    login(page, "secretariat")
    page.goto(f"{live_server.url}/notices/new/")
    assert_accessible(page)
    page.fill("#id_title_da", "Log-in er nede")
    page.fill("#id_title_en", "Log-in is down")
    page.check('#id_services input[value="login"]')
    page.check('#id_services input[value="netbank_login"]')
    page.select_option("#id_severity", "outage")
    page.fill("#id_started_at", "2026-12-07T09:00")
    page.select_option("#id_text_code", "login-down")
    page.click("main form button[type=submit]")

    draft = PublicationDraft.objects.get()
    expect(page).to_have_url(f"{live_server.url}/notices/drafts/{draft.pk}/")
    assert_accessible(page)
    visitor.reload()
    expect(visitor.locator("main")).to_contain_text("Alle NemID-tjenester kører normalt.")

    manager = browser.new_context(locale="da-DK").new_page()
    login(manager, "manager")
    manager.click('nav a[href="/notices/drafts/"]')
    assert_accessible(manager)
    manager.click(f'main a[href="/notices/drafts/{draft.pk}/"]')
    manager.click(f'form[action="/notices/drafts/{draft.pk}/approve/"] button[type=submit]')
    expect(manager.locator("#draft-timeline li")).to_have_count(2)
    assert_accessible(manager)

    incident = Incident.objects.get()
    # The cached page went when the publication committed.
    visitor.reload()
    expect(visitor.locator(f"#incident-{incident.pk}")).to_contain_text("Log-in er nede")
    expect(visitor.locator(f"#incident-{incident.pk}")).to_contain_text("Log-in i netbank")
    assert_accessible(visitor)
    visitor.goto(f"{live_server.url}/status/?lang=en")
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    expect(visitor.locator(f"#incident-{incident.pk}")).to_contain_text("Log-in is down")

    agent = browser.new_context(locale="da-DK").new_page()
    login(agent, "agent")
    agent.goto(f"{live_server.url}/enquiries/new/")
    expect(agent.locator(".incident-banner").first).to_contain_text("Log-in er nede")
    expect(agent.locator("#enquiry-incidents")).to_contain_text("Log-in er nede")
    assert_accessible(agent)
