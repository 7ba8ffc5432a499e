"""A known problem in a browser: a team lead links 20 enquiries from the
filtered list in one step and resolves them all at once, with the standard
text the reference data wrote (nothing written by hand first)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from enquiries.models import Category, Enquiry, Notification
from problems.models import KnownProblem
from seed.standard_texts import load_standard_texts
from tests.factories import CitizenFactory, EnquiryFactory


@pytest.mark.django_db(transaction=True)
def test_team_lead_links_20_enquiries_and_resolves_the_known_problem(
    live_server, page, login, assert_accessible, personas, taxonomy
):
    load_standard_texts()
    category = Category.objects.get(topic__queue=taxonomy["support"], code="ikke-modtaget")
    problem = KnownProblem.objects.create(
        title="Aktivering kun til netbank",
        description="Borgeren kan kun aktivere NemID til netbank.",
        category=category,
        topic=category.topic,
        created_by=personas["secretariat"],
    )
    for n in range(20):
        citizen = CitizenFactory(email=f"borger{n}@example.invalid") if n % 2 else None
        EnquiryFactory(category=category, subject=f"Kun netbank {n}", citizen=citizen)
    EnquiryFactory(category=category, subject="Noget andet")

    detail = reverse("problems:detail", args=[problem.pk])
    login(page, "team_lead")
    page.goto(f"{live_server.url}/enquiries/?q=Kun+netbank")
    panel = page.locator("details.tool-panel", has=page.locator("select[name=link-problem]"))
    panel.locator("summary").click()
    panel.locator("select[name=link-problem]").select_option(str(problem.pk))
    panel.locator("button[type=submit]").click()

    expect(page).to_have_url(live_server.url + detail)
    assert problem.links.count() == 20
    assert_accessible(page)
    page.click(f'main a[href="{reverse("problems:resolve", args=[problem.pk])}"]')
    assert_accessible(page)
    page.fill("#id_resolution", "Rettet i release 2.3")
    page.click("main form button[type=submit]")

    expect(page).to_have_url(live_server.url + detail)
    expect(page.locator("main")).to_contain_text("known-problem-resolved")
    assert Enquiry.objects.filter(status=Enquiry.Status.RESOLVED).count() == 20
    assert Enquiry.objects.get(subject="Noget andet").status == Enquiry.Status.NEW
    assert Notification.objects.filter(recipient__startswith="borger").count() == 10
