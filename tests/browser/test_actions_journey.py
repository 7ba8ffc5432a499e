"""The secretariat turns a pattern in the enquiries into an action and follows it up."""

import pytest
from playwright.sync_api import expect

from actions.models import Action
from enquiries.models import Topic
from tests.factories import ActionFactory, OrganisationFactory, ThemeFactory


@pytest.mark.django_db(transaction=True)
def test_secretariat_creates_an_action_from_an_enquiry_topic_and_follows_it_to_done(
    live_server, page, login, assert_accessible, taxonomy
):
    topic = Topic.objects.get(queue__code="support", code="aktivering")
    danid = OrganisationFactory(code="danid", name="DanID", kind="operator")
    support = ThemeFactory(code="support", name_da="Support", name_en="Support")
    ActionFactory(title="Forsinket opgave", owner=danid, theme=support, overdue=True)
    login(page, "secretariat")

    page.goto(f"{live_server.url}/actions/new/?topic={topic.pk}")
    expect(page.locator(".panel").first).to_contain_text("Aktivering af NemID")
    expect(page.locator("#id_origin_topics option:checked")).to_have_text(
        ["NemID-support (DanID) › Aktivering af NemID"]
    )
    page.locator("#id_title").fill("Vejledning i aktivering via netbank")
    page.locator("#id_theme").select_option(label="Support")
    page.locator("#id_owner").select_option(label="DanID")
    page.locator("#id_due_phrase").fill("medio januar 2011")
    expect(page.locator("#due-preview")).to_contain_text("2011")
    assert_accessible(page)
    page.locator("main form button.button--primary").click()

    action = Action.objects.get(title="Vejledning i aktivering via netbank")
    expect(page).to_have_url(f"{live_server.url}/actions/{action.pk}/")
    assert list(action.origin_topics.all()) == [topic]
    assert str(action.due_end) == "2011-01-20"

    page.locator(f"a[href='/actions/{action.pk}/kpis/new/']").click()
    page.locator("#id_metric").fill("Borgere hjulpet")
    page.locator("#id_unit").fill("personer")
    page.locator("#id_baseline").fill("0")
    page.locator("#id_target").fill("415")
    page.locator("main form button.button--primary").click()
    page.locator("a[href*='/readings/new/']").click()
    page.locator("#id_measured_on").fill("2010-11-26")
    page.locator("#id_value").fill("415")
    page.locator("main form button.button--primary").click()
    expect(page.locator("canvas[data-kpi-chart]")).to_have_count(1)
    expect(page.locator("table", has_text="415")).to_have_count(1)

    page.locator(f"a[href='/actions/{action.pk}/updates/new/']").click()
    page.locator("#id_text").fill("Vejledningen er lagt på nemid.nu.")
    page.locator("main form button.button--primary").click()
    expect(page.locator("#updates-heading + article")).to_contain_text("nemid.nu")

    page.locator(f"a[href='/actions/{action.pk}/status/']").click()
    page.locator("#id_status").select_option("done")
    page.locator("main form button.button--primary").click()
    expect(page.locator(".badge--done")).to_have_count(1)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.completed_on is not None
    assert_accessible(page)

    page.goto(f"{live_server.url}/actions/")
    expect(page.locator("table.action-table")).to_contain_text("Vejledning i aktivering")
    assert_accessible(page)

    page.goto(f"{live_server.url}/actions/follow-up/")
    expect(page.locator("#section-overdue + .table-wrap")).to_contain_text("Forsinket opgave")
    assert_accessible(page)

    page.goto(f"{live_server.url}/actions/by-organisation/")
    expect(page.locator("#owner-danid")).to_have_text("DanID")
    assert_accessible(page)
