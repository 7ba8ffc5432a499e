import pytest


@pytest.mark.django_db(transaction=True)
def test_login_page_is_danish_and_accessible(live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")

    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_skip_link_comes_first_and_moves_focus_to_main(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")

    first = page.locator("a[href], button, input:not([type=hidden]), select, textarea").first
    assert first.get_attribute("href") == "#main"
    first.focus()
    assert first.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
