"""The secretariat's journey: a meeting and its recommendation become an action,
measured by a KPI and done; every page passes axe (WCAG 2.1 AA).

Selectors use ids and URLs rather than texts, which change with translation.
"""

import pytest
from playwright.sync_api import expect

from actions.models import Action
from seed.report.stakeholders import load_stakeholder_data
from stakeholders.models import Meeting, Organisation, Recommendation
from tests.factories import ActionFactory, ThemeFactory


@pytest.mark.django_db(transaction=True)
def test_secretariat_turns_a_meeting_recommendation_into_an_action_and_sees_it_done(
    live_server, page, login, assert_accessible, personas
):
    load_stakeholder_data()
    dansk_it = Organisation.objects.get(code="dansk-it")
    danid = Organisation.objects.get(code="danid")
    support = ThemeFactory(code="support", name_da="Support", name_en="Support")
    ActionFactory(title="Forsinket opgave", owner=danid, theme=support, overdue=True)
    login(page, "secretariat")

    # The secretariat's work starts on the stakeholder overview.
    expect(page).to_have_url(f"{live_server.url}/stakeholders/overview/")
    assert_accessible(page)
    page.click('main a[href="/stakeholders/meetings/new/"]')
    page.fill("#id_title", "Opfølgende møde med Dansk IT")
    page.fill("#id_held_on", "2010-12-10")
    page.click("form.form-page button[type=submit]")
    assert page.locator('#error-summary a[href="#id_organisations"]').count() == 1
    assert page.input_value("#id_title") == "Opfølgende møde med Dansk IT"
    assert_accessible(page)
    page.check(f'#id_organisations input[value="{dansk_it.pk}"]')
    page.click("form.form-page button[type=submit]")

    meeting = Meeting.objects.get(title="Opfølgende møde med Dansk IT")
    expect(page).to_have_url(f"{live_server.url}/stakeholders/meetings/{meeting.pk}/")
    page.select_option("#id_organisation", str(dansk_it.pk))
    page.fill("#id_text", "Offentliggør driftsstatus løbende.")
    page.click('form[action$="/recommendations/new/"] button[type=submit]')
    rec = Recommendation.objects.get(text="Offentliggør driftsstatus løbende.")
    assert_accessible(page)

    page.click(f'#recommendations ~ * a[href="/stakeholders/recommendations/{rec.pk}/"]')
    assert_accessible(page)
    page.click(f'a[href="/actions/new/?recommendation={rec.pk}"]')
    # The recommendation and its meeting come prefilled as the origins.
    expect(page.locator("#id_origin_recommendations option:checked")).to_have_attribute(
        "value", str(rec.pk)
    )
    expect(page.locator("#id_origin_meetings option:checked")).to_have_attribute(
        "value", str(meeting.pk)
    )
    page.fill("#id_title", "Driftsstatus på nemid.nu")
    page.select_option("#id_theme", str(support.pk))
    page.select_option("#id_owner", str(danid.pk))
    page.fill("#id_due_phrase", "medio januar 2011")
    expect(page.locator("#due-preview")).to_contain_text("2011")
    assert_accessible(page)
    page.click("main form button.button--primary")

    action = Action.objects.get(title="Driftsstatus på nemid.nu")
    expect(page).to_have_url(f"{live_server.url}/actions/{action.pk}/")
    assert list(action.origin_recommendations.all()) == [rec]
    assert list(action.origin_meetings.all()) == [meeting]
    assert str(action.due_end) == "2011-01-20"

    page.click(f'a[href="/actions/{action.pk}/kpis/new/"]')
    page.fill("#id_metric", "Opdateringer af driftsstatus")
    page.fill("#id_baseline", "0")
    page.fill("#id_target", "12")
    page.click("main form button.button--primary")
    page.click("a[href*='/readings/new/']")
    page.fill("#id_measured_on", "2010-12-20")
    page.fill("#id_value", "12")
    page.click("main form button.button--primary")
    expect(page.locator("canvas[data-kpi-chart]")).to_have_count(1)
    expect(page.locator("#kpi-heading ~ * table", has_text="12")).to_have_count(1)

    page.click(f'a[href="/actions/{action.pk}/status/"]')
    page.select_option("#id_status", "done")
    page.click("main form button.button--primary")
    expect(page.locator(".badge--done")).to_have_count(1)
    action.refresh_from_db()
    assert (action.status, action.kpis.get().readings.get().value) == (Action.Status.DONE, 12)
    assert action.completed_on is not None
    assert_accessible(page)

    # The recommendation shows the action it led to, done.
    page.goto(f"{live_server.url}/stakeholders/recommendations/{rec.pk}/")
    expect(page.locator(f'#actions ~ * a[href="/actions/{action.pk}/"]')).to_have_count(1)
    # ...and that every action it led to is finished.
    expect(page.locator("main .lead .badge--resolved")).to_have_count(1)
    assert_accessible(page)

    # The secretariat's other pages on the way, each passing axe.
    for path in (
        f"/stakeholders/recommendations/{rec.pk}/respond/",
        "/stakeholders/follow-ups/",
        "/actions/",
        "/actions/by-organisation/",
        "/actions/follow-up/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    expect(page.locator("#section-overdue + .table-wrap")).to_contain_text("Forsinket opgave")
