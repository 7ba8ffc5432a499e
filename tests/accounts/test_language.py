"""Danish for everyone; English only as a person's own choice (issue 9, fault 7).

The browser's Accept-Language no longer chooses. A logged-in user's choice
is kept on the user (set by the language switch); logged out, the switch's
cookie chooses. API messages follow the same language.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

ENGLISH_BROWSER = {"accept-language": "en-GB,en;q=0.9"}


@pytest.fixture(autouse=True)
def _danish_site(settings):
    settings.LANGUAGE_CODE = "da"


def lang(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_an_english_browser_gets_danish_pages_logged_out():
    response = Client().get(reverse("login"), headers=ENGLISH_BROWSER)

    assert lang(response) == "da"
    assert response["Content-Language"] == "da"
    assert "Accept-Language" not in response.get("Vary", "")


def test_an_english_browser_gets_danish_pages_logged_in(client_as):
    response = client_as("agent").get(reverse("enquiries:list"), headers=ENGLISH_BROWSER)

    assert lang(response) == "da"
    assert "<h1>Henvendelser</h1>" in response.content.decode()


def test_the_switch_keeps_english_on_the_user_in_every_browser(client_as, personas):
    page = reverse("enquiries:list")
    first_browser = client_as("agent")

    first_browser.post(reverse("set_language"), {"language": "en", "next": page})
    personas["agent"].refresh_from_db()
    other_browser = client_as("agent")

    assert personas["agent"].language == "en"
    assert lang(first_browser.get(page)) == "en"
    assert lang(other_browser.get(page)) == "en"


def test_switching_back_to_danish_is_kept_too(client_as, personas):
    client = client_as("agent", language="en")

    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    personas["agent"].refresh_from_db()

    assert personas["agent"].language == "da"
    assert lang(client.get(reverse("enquiries:list"))) == "da"


def test_one_users_choice_does_not_follow_the_browser_to_the_next_user(client_as, personas):
    client = client_as("agent")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    # The same browser (its language cookie says English), another user.
    client.force_login(personas["team_lead"])

    assert client.cookies["django_language"].value == "en"
    assert lang(client.get(reverse("enquiries:list"))) == "da"


def test_an_unknown_language_is_ignored(client_as, personas):
    client = client_as("agent")

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    personas["agent"].refresh_from_db()

    assert personas["agent"].language == ""
    assert lang(client.get(reverse("enquiries:list"))) == "da"


@pytest.mark.django_db
def test_logged_out_the_switch_chooses_by_cookie():
    client = Client()

    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    assert lang(client.get(reverse("login"))) == "en"
    assert lang(Client().get(reverse("login"))) == "da"


def test_a_choice_made_on_the_login_page_becomes_the_users(personas, settings):
    user = personas["agent"]
    user.set_password("secret-password")
    user.save()
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    response = client.post(reverse("login"), {"username": "agent", "password": "secret-password"})
    user.refresh_from_db()

    assert response.status_code == 302
    assert user.language == "en"
    assert lang(client.get(reverse("enquiries:list"))) == "en"


def test_logging_in_keeps_a_choice_the_user_already_made(personas):
    user = personas["agent"]
    user.set_password("secret-password")
    user.language = "da"
    user.save()
    client = Client()
    client.cookies["django_language"] = "en"

    response = client.post(reverse("login"), {"username": "agent", "password": "secret-password"})
    user.refresh_from_db()

    assert user.language == "da"
    assert response.cookies["django_language"].value == "da"
    assert lang(client.get(reverse("enquiries:list"))) == "da"


@pytest.mark.parametrize(("language", "message"), [("da", "Ikke fundet."), ("en", "Not found.")])
def test_an_api_404_speaks_the_users_language(client_as, taxonomy, language, message):
    client = client_as("agent", language=language)

    response = client.get("/api/v1/enquiries/NID-2010-999999/", headers=ENGLISH_BROWSER)

    assert response.status_code == 404
    assert response.json() == {"detail": message}


def test_a_token_clients_messages_follow_its_users_language(personas, taxonomy):
    user = personas["agent"]
    user.language = "da"
    user.save()
    token = Token.objects.create(user=user)

    response = Client().get(
        "/api/v1/enquiries/NID-2010-999999/",
        headers={"authorization": f"Token {token.key}", **ENGLISH_BROWSER},
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Ikke fundet."}


@pytest.mark.django_db
def test_an_unauthenticated_api_answer_is_danish():
    response = Client().get("/api/v1/enquiries/", headers=ENGLISH_BROWSER)

    assert response.status_code == 401
    assert response.json()["detail"] == "Legitimation til autentificering blev ikke angivet."
