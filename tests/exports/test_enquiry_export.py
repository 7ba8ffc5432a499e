"""The enquiry list's export: same filters and visibility, Danish, no CPR."""

import datetime

import pytest
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext

from enquiries.models import Enquiry
from tests.exports.conftest import CPR, da, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

ROLES = [
    # role, status, references exported, citizen columns
    ("agent", 200, {"formula", "plus", "plain"}, True),
    ("team_lead", 200, {"formula", "plus", "plain"}, True),
    ("secretariat", 200, {"formula", "plus", "plain", "letter"}, False),
    ("manager", 200, {"formula", "plus", "plain", "letter"}, False),
    ("admin", 200, {"formula", "plus", "plain", "letter"}, True),
    ("anonymous", 302, set(), False),
]


@pytest.mark.parametrize(("persona", "status", "names", "citizen"), ROLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_enquiry_export_shows_what_the_list_shows(
    client_as, exported, persona, status, names, citizen, fmt
):
    client = client_as(persona)
    response = client.get(f"/exports/enquiries.{fmt}")

    assert response.status_code == status
    if status != 200:
        assert response["Location"].startswith("/accounts/login/")
        return
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    references = {row[0] for row in rows[1:]}
    assert references == {exported[name].reference for name in names}
    listed = client.get("/enquiries/").context["page"].paginator.count
    assert listed == len(references)
    assert (da("Citizen") in rows[0]) is citizen
    assert (da("CPR number (masked)") in rows[0]) is citizen


def test_export_keeps_the_list_filters(client_as, exported):
    topic = exported["topic"]
    query = {
        "queue": "support",
        "topic": topic.pk,
        "received_after": "2010-09-06",
        "received_before": "2010-09-06",
    }
    client = client_as("manager")

    rows = read_csv(client.get("/exports/enquiries.csv", query))

    assert [row[0] for row in rows[1:]] == [exported["formula"].reference]
    assert client.get("/enquiries/", query).context["page"].paginator.count == 1


def test_enquiry_list_links_to_the_export_with_its_filters(client_as, exported):
    response = client_as("manager").get("/enquiries/", {"queue": "support", "status": "new"})

    html = response.content.decode()
    assert 'href="/exports/enquiries.csv?queue=support&amp;status=new"' in html
    assert 'href="/exports/enquiries.xlsx?queue=support&amp;status=new"' in html


def test_csv_is_danish_and_neutralises_formulas(client_as, exported):
    rows = read_csv(client_as("agent").get("/exports/enquiries.csv"))

    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == exported["formula"].reference)
    cell = dict(zip(header, row, strict=True))
    assert cell[da("Subject")] == '\'=HYPERLINK("http://evil.example","klik")'
    assert cell[da("Received")] == "06-09-2010 09:05"
    assert cell[da("First responded")] == "06-09-2010 09:12"
    with translation.override("da"):
        assert cell[da("Status")] == str(Enquiry.Status.NEW.label)
        assert cell[da("Overdue")] == gettext("Yes")
    assert cell[da("Assignee")] == "Pia Hansen"
    assert cell[da("Escalation level")] == "1"
    plus = next(r for r in rows[1:] if r[0] == exported["plus"].reference)
    assert dict(zip(header, plus, strict=True))[da("Subject")] == "'+45 kan ikke"


def test_xlsx_cells_are_typed(client_as, exported):
    response = client_as("agent").get("/exports/enquiries.xlsx")

    rows = read_xlsx(response)
    header = rows[0]
    row = dict(
        zip(header, next(r for r in rows[1:] if r[0] == exported["formula"].reference), strict=True)
    )
    assert row[da("Received")] == datetime.datetime(2010, 9, 6, 9, 5)
    assert row[da("Escalation level")] == 1
    assert row[da("Subject")].startswith("'=")


def test_export_never_holds_a_full_cpr_number(client_as, exported):
    for fmt in ("csv", "xlsx"):
        response = client_as("team_lead").get(f"/exports/enquiries.{fmt}")
        content = b"".join(response.streaming_content)
        if fmt == "csv":
            text = content.decode("utf-8-sig")
            assert "070342-xxxx" in text
            assert CPR not in text and "070342-1234" not in text
        else:
            assert CPR.encode() not in content


def test_a_cpr_number_in_the_search_is_refused(client_as, exported):
    response = client_as("agent").get("/exports/enquiries.csv", {"q": "070342-1234"})

    assert response.status_code == 400
    assert b"1234" not in response.content


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"received_after": "yesterday"}, b"Received from"),
        ({"queue": "nowhere"}, b"Queue"),
        ({"topic": "99999999"}, b"Topic"),
    ],
)
def test_bad_filters_are_a_400_naming_the_filter(client_as, exported, query, field):
    response = client_as("manager").get("/exports/enquiries.csv", query)

    assert response.status_code == 400
    assert field in response.content


def test_citizen_filter_from_a_role_that_may_not_see_citizens_is_a_400(client_as, exported):
    citizen = Enquiry.objects.exclude(citizen=None).first().citizen

    response = client_as("manager").get("/exports/enquiries.csv", {"citizen": citizen.pk})

    assert response.status_code == 400
    assert b"Citizen: Your role may not see citizens" in response.content
    assert citizen.name.encode() not in response.content


def test_unknown_format_is_not_found(client_as, exported):
    assert client_as("manager").get("/exports/enquiries.pdf").status_code == 404


def test_export_is_a_named_streamed_download(client_as, exported):
    response = client_as("manager").get("/exports/enquiries.xlsx")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="henvendelser-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert "no-store" in response["Cache-Control"]
