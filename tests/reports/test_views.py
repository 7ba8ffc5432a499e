"""The report page and its downloads: who may, bad periods, both languages."""

import pytest
from django.urls import reverse

from tests.reports.data import EXPECTED
from tests.reports.tables import html_tables, pdf_rows, pdf_text

PAGE = reverse("reports:user-analysis")
HTML = reverse("reports:download", args=["html"])
PDF = reverse("reports:download", args=["pdf"])
PERIOD = {"start": "2010-07-01", "end": "2010-10-31"}

# fmt: off
#   route  agent lead secr  mgr admin anon
ROUTES = [
    (PAGE,  403, 403, 200, 200, 200, 302),
    (HTML,  403, 403, 200, 200, 200, 302),
    (PDF,   403, 403, 200, 200, 200, 302),
]
# fmt: on
ROLES = ["agent", "team_lead", "secretariat", "manager", "admin", "anonymous"]


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    [(url, role, codes[i]) for url, *codes in ROUTES for i, role in enumerate(ROLES)],
)
def test_who_may_open_the_report(client_as, url, role, expected):
    response = client_as(role).get(url, PERIOD)

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_the_reports_tables_for_the_default_period(client_as, autumn):
    response = client_as("manager").get(PAGE)

    html = response.content.decode()
    tables = html_tables(html)
    assert [tuple(row) for row in tables["shares-support"][1:]] == EXPECTED["support"]
    assert [tuple(row) for row in tables["shares-ministry"][1:]] == EXPECTED["ministry"]
    assert 'value="2010-07-01"' in html and 'value="2010-10-31"' in html
    assert f'href="{PDF}?start=2010-07-01&amp;end=2010-10-31"' in html


def test_a_manager_chooses_another_period(client_as, autumn):
    response = client_as("manager").get(PAGE, {"start": "2010-07-01", "end": "2010-07-31"})

    report = response.context["report"]
    assert report.period_phrase == "juli"
    assert 0 < report.total < 2300
    assert "I alt er der i perioden juli modtaget" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "html_lang"),
    [("da", '<html lang="da">'), ("en", '<html lang="en">')],
)
def test_the_page_in_both_languages_keeps_the_report_danish(client_as, autumn, language, html_lang):
    client = client_as("secretariat", language=language)

    response = client.get(PAGE, PERIOD)

    html = response.content.decode()
    assert response["Content-Language"] == language
    assert html_lang in html
    assert '<article class="report" lang="da"' in html
    assert '<th scope="row">Midlertidig adgangskode</th><td class="num">30,9%</td>' in html


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2010-10-31", "end": "2010-07-01"}, "end"),
        ({"start": "not a date", "end": "2010-10-31"}, "start"),
        ({"start": "2010-07-01", "end": "2010-02-30"}, "end"),
        ({"start": "1900-01-01", "end": "2010-10-31"}, "start"),
        ({"start": "2010-07-01", "end": "9999-12-31"}, "end"),
        ({"start": "2010-07-01"}, "end"),
        ({"start": "x" * 5000, "end": "2010-10-31"}, "start"),
        ({"start": ["2010-07-01", "2010-08-01"], "end": "2010-13-01"}, "end"),
    ],
)
def test_a_bad_period_redisplays_the_form_naming_the_field(client_as, query, field):
    client = client_as("manager")

    page = client.get(PAGE, query)
    download = client.get(PDF, query)

    assert page.status_code == 200
    assert page.context["report"] is None
    assert field in page.context["form"].errors
    assert f'id="id_{field}_error"' in page.content.decode()
    assert download.status_code == 400
    assert download["Content-Type"].startswith("text/html")


def test_a_nul_byte_in_the_period_is_a_clear_400(client_as):
    response = client_as("manager").get(PAGE, {"start": "2010-07-01\x00", "end": "2010-10-31"})

    assert response.status_code == 400


def test_the_html_download_is_a_standalone_danish_document(client_as, autumn):
    response = client_as("manager").get(HTML, PERIOD)

    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="brugeranalyse-2010-07-01-2010-10-31.html"'
    )
    assert html.startswith("<!DOCTYPE html>")
    assert [tuple(row) for row in html_tables(html)["shares-ministry"][1:]] == EXPECTED["ministry"]


def test_the_pdf_download_holds_both_tables(client_as, autumn, tmp_path):
    response = client_as("admin").get(PDF, PERIOD)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('brugeranalyse-2010-07-01-2010-10-31.pdf"')
    text = pdf_text(response.content, tmp_path)
    assert pdf_rows(text, EXPECTED["support"]) == EXPECTED["support"]
    assert pdf_rows(text, EXPECTED["ministry"]) == EXPECTED["ministry"]


def test_unknown_download_formats_are_not_found(client_as):
    response = client_as("manager").get("/reports/user-analysis.docx", PERIOD)

    assert response.status_code == 404


def test_navigation_offers_the_report_to_those_who_may_build_it(client_as):
    manager = client_as("manager").get(reverse("home"), follow=True)
    agent = client_as("agent").get(reverse("home"), follow=True)

    assert f'href="{PAGE}"' in manager.content.decode()
    assert f'href="{PAGE}"' not in agent.content.decode()
