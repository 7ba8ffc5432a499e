"""Error pages (issue 9, fault 6): styled, translated, with the navigation.

Debug is off, so nobody sees Django's technical pages (the 404 that lists
every URL pattern). API errors stay JSON.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import path, reverse

from nemid_cases import errors
from nemid_cases.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    *site_patterns,
    path("boom/", boom),
    path("api/v1/boom/", boom),
]
handler400 = "nemid_cases.errors.bad_request"
handler403 = "nemid_cases.errors.permission_denied"
handler404 = "nemid_cases.errors.page_not_found"
handler500 = "nemid_cases.errors.server_error"


@pytest.fixture(autouse=True)
def _danish(settings):
    settings.LANGUAGE_CODE = "da"
    settings.DEBUG = False


def page(response) -> str:
    return response.content.decode()


def test_debug_is_off_unless_asked_for():
    from nemid_cases import settings as project

    assert project.DEBUG is False


def test_404_is_the_house_page_with_the_navigation_not_a_url_list(client_as):
    response = client_as("agent").get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = page(response)
    assert "<h1>Siden blev ikke fundet</h1>" in html
    assert 'class="site-nav"' in html
    assert "Henvendelser" in html  # a navigation entry
    assert "URLconf" not in html and "enquiries/" not in html.split("<main", 1)[1]


def test_404_speaks_english_to_who_chose_it(client_as):
    response = client_as("agent", language="en").get("/no-such-page/")

    assert "<h1>Page not found</h1>" in page(response)


def test_403_is_the_house_page(client_as):
    response = client_as("agent").get(reverse("dashboards:overview"))

    assert response.status_code == 403
    assert "<h1>Ingen adgang</h1>" in page(response)
    assert 'class="site-nav"' in page(response)


def test_405_from_a_view_gets_the_house_page_and_keeps_allow(client_as):
    response = client_as("agent").get(reverse("logout"))

    assert response.status_code == 405
    assert "<h1>Ikke muligt her</h1>" in page(response)
    assert response["Allow"] == "POST, OPTIONS"


def test_csrf_failure_is_the_house_page(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["agent"])

    response = client.post(reverse("set_language"), {"language": "en"})

    assert response.status_code == 403
    assert "<h1>Formularen blev ikke sendt</h1>" in page(response)


def test_400_for_a_nul_byte_is_the_house_page(client_as):
    response = client_as("agent").get(reverse("enquiries:list"), {"q": "a\x00b"})

    assert response.status_code == 400
    assert "<h1>Ugyldig forespørgsel</h1>" in page(response)


@pytest.mark.urls("tests.site.test_errors")
def test_500_renders_without_the_database(personas, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    client.force_login(personas["agent"])
    request = client.get("/no-such-page/").wsgi_request

    with django_assert_num_queries(0):
        response = errors.server_error(request)

    assert response.status_code == 500
    assert "<h1>Noget gik galt</h1>" in page(response)
    assert '<html lang="da">' in page(response)


def test_with_the_database_gone_a_page_is_the_500_page(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas["agent"])
    connection.close()
    real = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = "/nonexistent/dir/nemid"
    try:
        response = client.get(reverse("enquiries:list"))
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real

    # PostgreSQL unreachable is the 503 "nothing was saved" page (issue 14);
    # SQLite's unopenable file is not a connection error: the 500 page.
    status, heading = {
        "postgresql": (503, "<h1>Intet blev gemt</h1>"),
        "sqlite": (500, "<h1>Noget gik galt</h1>"),
    }[connection.vendor]
    assert response.status_code == status
    assert heading in page(response)


@pytest.mark.urls("tests.site.test_errors")
def test_a_crash_is_the_500_page_not_a_traceback(client_as):
    client = client_as("agent")
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "<h1>Noget gik galt</h1>" in page(response)
    assert "RuntimeError" not in page(response)


@pytest.mark.urls("tests.site.test_errors")
def test_api_errors_stay_json(client_as):
    client = client_as("agent")
    client.raise_request_exception = False

    missing = client.get("/api/v1/no-such-resource/")
    crash = client.get("/api/v1/boom/")

    assert missing.status_code == 404
    assert missing.json() == {"detail": "Siden blev ikke fundet."}
    assert crash.status_code == 500
    assert crash.json()["detail"].startswith("Der opstod en fejl på serveren")
