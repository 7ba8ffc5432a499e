"""The action list's export: the list's FilterSet and scope, Danish formats."""

import datetime

import pytest

from tests.exports.conftest import da, read_csv, read_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status", "titles"),
    [
        ("agent", 200, {"Flere medarbejdere"}),
        ("team_lead", 200, {"Flere medarbejdere"}),
        ("secretariat", 200, {"Flere medarbejdere", "'@Sikkerhedsvejledning"}),
        ("manager", 200, {"Flere medarbejdere", "'@Sikkerhedsvejledning"}),
        ("admin", 200, {"Flere medarbejdere", "'@Sikkerhedsvejledning"}),
        ("anonymous", 302, set()),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_action_export_shows_what_the_list_shows(
    client_as, action_rows, persona, status, titles, fmt
):
    client = client_as(persona)
    response = client.get(f"/exports/actions.{fmt}")

    assert response.status_code == status
    if status != 200:
        return
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    assert {row[1] for row in rows[1:]} == titles
    assert client.get("/actions/").context["page"].paginator.count == len(titles)


def test_action_export_keeps_the_list_filters(client_as, action_rows):
    client = client_as("manager")

    rows = read_csv(client.get("/exports/actions.csv", {"overdue": "true"}))

    assert [row[1] for row in rows[1:]] == ["'@Sikkerhedsvejledning"]


def test_action_export_dates_and_flags(client_as, action_rows):
    rows = read_csv(client_as("manager").get("/exports/actions.csv", {"status": "done"}))

    row = dict(zip(rows[0], rows[1], strict=True))
    assert row[da("Code")] == "support-medarbejdere"
    assert row[da("Due")] == "november 2010"
    assert row[da("Due from")] == "01-11-2010"
    assert row[da("Due by")] == "30-11-2010"
    assert row[da("Completed")] == "26-11-2010"
    assert row[da("Overdue")] == da("No")


def test_action_export_xlsx_has_date_cells(client_as, action_rows):
    rows = read_xlsx(client_as("manager").get("/exports/actions.xlsx", {"status": "done"}))

    row = dict(zip(rows[0], rows[1], strict=True))
    assert row[da("Due by")] == datetime.datetime(2010, 11, 30)


def test_action_list_links_to_the_export_with_its_filters(client_as, action_rows):
    html = client_as("manager").get("/actions/", {"status": "done"}).content.decode()

    assert 'href="/exports/actions.csv?status=done"' in html
    assert 'href="/exports/actions.xlsx?status=done"' in html


def test_bad_action_filter_is_a_400(client_as, action_rows):
    response = client_as("manager").get("/exports/actions.csv", {"due": "next blue moon"})

    assert response.status_code == 400
