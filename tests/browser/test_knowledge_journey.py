"""The knowledge base in a browser: suggestions appear beside the log form
as the agent types the subject, and on the reply page an article's answer
is inserted at the cursor and counted; both pages pass axe (WCAG 2.1 AA)."""

import pytest
from playwright.sync_api import expect

from enquiries import services as enquiry_services
from knowledge import services
from knowledge.models import SuggestionUse

ANSWER = "Du får nøglekortet og adgangskoden i to breve. Se nemid.nu."


@pytest.mark.django_db(transaction=True)
def test_agent_sees_suggestions_while_typing_and_inserts_an_answer(
    live_server, page, login, assert_accessible, personas, taxonomy
):
    services.create_article(
        "midlertidig-adgangskode",
        by=personas["secretariat"],
        title_da="Midlertidig adgangskode",
        body_da="Nøglekortet og den midlertidige adgangskode kommer i to breve.",
        answer_da=ANSWER,
        title_en="Temporary password",
        body_en="The code card and the temporary password come in two letters.",
    )
    enquiry = enquiry_services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="Adgangskode ikke modtaget"
    )
    login(page, "agent")

    page.goto(f"{live_server.url}/enquiries/new/")
    panel = page.locator("#knowledge-suggestions")
    expect(panel).not_to_contain_text("Midlertidig adgangskode")
    page.fill("#id_subject", "adgangs")
    expect(panel).to_contain_text("Midlertidig adgangskode")
    assert_accessible(page)

    page.goto(f"{live_server.url}/answers/reply/{enquiry.reference}/")
    page.fill("#id_body", "Kære borger\n\n")
    page.locator("#id_body").press("End")
    insert = panel.get_by_role("button", name="Indsæt svar")
    expect(insert).to_be_visible()
    assert_accessible(page)
    insert.click()

    expect(page.locator("#id_body")).to_have_value(f"Kære borger\n\n{ANSWER}")
    for _ in range(50):
        if SuggestionUse.objects.exists():
            break
        page.wait_for_timeout(100)
    use = SuggestionUse.objects.get()
    assert use.article.key == "midlertidig-adgangskode"
    assert use.enquiry_id == enquiry.pk
