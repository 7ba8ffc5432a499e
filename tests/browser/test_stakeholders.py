"""The secretariat records a meeting, a recommendation and its response, and
closes a follow-up, in the browser; every page passes axe (WCAG 2.1 AA).

Selectors use ids and URLs rather than texts, which change with translation.
"""

import pytest

from stakeholders.models import FollowUp, Meeting, Organisation, Recommendation
from stakeholders.report_data import load_stakeholder_data


@pytest.mark.django_db(transaction=True)
def test_secretariat_records_a_meeting_with_a_recommendation_and_follows_up(
    live_server, page, login, assert_accessible, personas
):
    load_stakeholder_data()
    dansk_it = Organisation.objects.get(code="dansk-it")
    itst = Organisation.objects.get(code="itst")
    login(page, "secretariat")

    page.goto(f"{live_server.url}/stakeholders/overview/")
    assert page.locator(".summary-card__number").first.inner_text() == "3"
    assert_accessible(page)

    page.goto(f"{live_server.url}/stakeholders/meetings/new/")
    page.fill("#id_title", "Opfølgende møde med Dansk IT")
    page.fill("#id_held_on", "2010-12-10")
    page.click("form.form-page button[type=submit]")
    assert page.locator("#error-summary").is_visible()
    assert page.locator('#error-summary a[href="#id_organisations"]').count() == 1
    assert page.input_value("#id_title") == "Opfølgende møde med Dansk IT"
    assert_accessible(page)
    page.check(f'#id_organisations input[value="{dansk_it.pk}"]')
    page.check(f'#id_organisations input[value="{itst.pk}"]')
    page.click("form.form-page button[type=submit]")

    meeting = Meeting.objects.get(title="Opfølgende møde med Dansk IT")
    assert page.url.endswith(f"/stakeholders/meetings/{meeting.pk}/")
    page.select_option("#id_organisation", str(dansk_it.pk))
    page.fill("#id_text", "Offentliggør driftsstatus løbende.")
    page.click('form[action$="/recommendations/new/"] button[type=submit]')
    rec = Recommendation.objects.get(text="Offentliggør driftsstatus løbende.")
    assert page.url.endswith("#recommendations")
    assert_accessible(page)

    page.goto(f"{live_server.url}/stakeholders/recommendations/{rec.pk}/respond/")
    page.check("#id_status input[value=declined]")
    page.fill("#id_response", "Ikke i denne omgang.")
    page.click("form.form-page button[type=submit]")
    assert page.locator('#error-summary a[href="#id_rationale"]').count() == 1
    assert_accessible(page)
    page.fill("#id_rationale", "Driftsstatus vises allerede på nemid.nu.")
    page.click("form.form-page button[type=submit]")
    assert page.url.endswith(f"/stakeholders/recommendations/{rec.pk}/")
    assert page.locator(".timeline li").count() == 2
    assert_accessible(page)

    follow_up = FollowUp.objects.get(code="aeldremobiliseringen-feedback")
    page.goto(f"{live_server.url}/stakeholders/follow-ups/{follow_up.pk}/resolve/")
    page.fill("#id_resolved_on", "2010-12-15")
    page.fill("#id_note", "Feedback fra temamøderne modtaget.")
    page.click("form.form-page button[type=submit]")
    assert page.url.endswith(f"/stakeholders/follow-ups/{follow_up.pk}/")

    page.goto(f"{live_server.url}/stakeholders/follow-ups/")
    assert_accessible(page)
    follow_up.refresh_from_db()
    rec.refresh_from_db()
    assert (rec.status, follow_up.is_open) == ("declined", False)
    assert rec.events.last().actor == personas["secretariat"]
