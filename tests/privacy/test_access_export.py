"""The access export (GDPR art. 15): everything held about a citizen, logged."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from enquiries import services as enquiry_services
from enquiries.models import CprReveal
from privacy import access, services
from privacy.models import DataRequest
from tests.factories import CitizenFactory
from tests.privacy.conftest import closed_enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(closed, citizen, personas, support):
    """The citizen's closed enquiry, an open one, a reveal; another citizen's enquiry."""
    still_open = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Nyt nøglekort", citizen=citizen
    )
    enquiry_services.reveal_cpr(citizen, by=personas["team_lead"], reason="Telefonen var uklar")
    other = closed_enquiry(support, personas["agent"], citizen=CitizenFactory(name="Ole Olsen"))
    return {"closed": closed, "open": still_open, "other": other}


def export(citizen, personas, **kwargs):
    kwargs.setdefault("reason", "Brev modtaget 3. marts")
    return services.export_citizen_data(citizen, by=personas["secretariat"], **kwargs)


def test_the_export_holds_the_citizen_with_the_full_cpr_number(citizen, personas, history):
    _request, data = export(citizen, personas)

    assert data["citizen"] | {"created_at": None, "updated_at": None} == {
        "id": citizen.pk,
        "name": "Karen Jensen",
        "cpr": "110682-1449",
        "email": "karen@example.invalid",
        "phone": "+45 20 30 40 50",
        "address": "Nørregade 1\n1165 København K",
        "needs": ["large-print key card"],
        "created_at": None,
        "updated_at": None,
        "anonymised_at": None,
    }


def test_the_export_holds_every_enquiry_of_theirs_with_timeline_and_rating(
    citizen, personas, history
):
    _request, data = export(citizen, personas)

    references = [enquiry["reference"] for enquiry in data["enquiries"]]
    assert references == [history["closed"].reference, history["open"].reference]
    closed = data["enquiries"][0]
    assert closed["subject"] == "Karen Jensen har ikke fået koden"
    assert closed["description"] == "Bor hos datteren på Nørregade 1."
    assert closed["resolution"] == "Ny kode sendt til Karen"
    assert closed["rating"]["score"] == 4 and closed["rating"]["comment"] == "Karen var glad"
    texts = [event["text"] for event in closed["timeline"]]
    assert "Ringede igen" in texts
    kinds = [event["kind"] for event in closed["timeline"]]
    assert kinds[0] == "Created" and "Status changed" in kinds
    assert {event["by"] for event in closed["timeline"]} >= {str(personas["agent"])}


def test_the_export_holds_the_emails_sent_to_them_and_no_one_elses(citizen, personas, history):
    _request, data = export(citizen, personas)

    assert [mail["recipient"] for mail in data["notifications"]] == ["karen@example.invalid"]
    assert history["closed"].reference in data["notifications"][0]["subject"]


def test_the_export_lists_every_reveal_and_is_itself_a_logged_reveal(citizen, personas, history):
    request, data = export(citizen, personas)

    reveals = data["cpr_reveals"]
    assert [(r["by"], r["reason"]) for r in reveals] == [
        (str(personas["team_lead"]), "Telefonen var uklar"),
        (str(personas["secretariat"]), "Access export (GDPR art. 15): Brev modtaget 3. marts"),
    ]
    logged = CprReveal.objects.filter(citizen=citizen, revealed_by=personas["secretariat"])
    assert logged.count() == 1
    assert (request.kind, request.citizen, request.handled_by) == (
        "access",
        citizen,
        personas["secretariat"],
    )
    assert request.enquiry_count == 2
    assert data["data_requests"][-1]["reason"] == "Brev modtaget 3. marts"


def test_a_reveal_kind_is_shown_where_the_log_records_one(citizen, personas, history):
    _request, data = export(citizen, personas)

    kinds = {reveal["kind"] for reveal in data["cpr_reveals"]}
    if hasattr(CprReveal, "get_kind_display"):
        assert None not in kinds
    else:
        assert kinds == {None}


def test_the_json_file_and_the_html_page_carry_the_same_content(citizen, personas, history):
    _request, data = export(citizen, personas)

    assert json.loads(access.render_json(data)) == data
    page = access.render_html(data).decode()
    assert "110682-1449" in page and "Karen var glad" in page and "Telefonen var uklar" in page
    assert "<script" not in page and "http" not in page.split("</style>")[0]
    assert access.filename(data, "html") == (
        f"indsigt-borger-{citizen.pk}-{timezone.localdate().isoformat()}.html"
    )


def test_an_erased_citizen_exports_what_is_left(citizen, personas, closed):
    services.erase_citizen(citizen, by=personas["secretariat"], reason="Bad om sletning")

    _request, data = export(citizen, personas)

    assert data["citizen"]["cpr"] is None and data["citizen"]["name"] == "[anonymised]"
    assert data["enquiries"][0]["subject"] == "[anonymised]"
    assert not CprReveal.objects.filter(reason__startswith="Access export").exists()


@pytest.mark.parametrize(
    ("reason", "fmt", "field"),
    [
        ("", "json", "reason"),
        ("   ", "html", "reason"),
        ("x" * 501, "json", "reason"),
        ("Ringede fra 110682-1449", "json", "reason"),
        ("Brev", "pdf", "format"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field_and_logs_nothing(
    citizen, personas, reason, fmt, field
):
    with pytest.raises(ValidationError) as refused:
        export(citizen, personas, reason=reason, format=fmt)

    assert list(refused.value.message_dict) == [field]
    assert not DataRequest.objects.exists() and not CprReveal.objects.exists()


@pytest.mark.parametrize("persona", ["agent", "team_lead", "manager"])
def test_only_the_roles_that_handle_requests_may_export(citizen, personas, persona):
    with pytest.raises(PermissionDenied):
        services.export_citizen_data(citizen, by=personas[persona], reason="Nysgerrig")

    assert not CprReveal.objects.exists()


def test_the_export_takes_a_fixed_number_of_queries(
    citizen, personas, support, django_assert_max_num_queries
):
    for _ in range(3):
        closed_enquiry(support, personas["agent"], citizen=citizen)
    with django_assert_max_num_queries(20) as few:
        export(citizen, personas)
    for _ in range(10):
        closed_enquiry(support, personas["agent"], citizen=citizen)

    with django_assert_max_num_queries(len(few.captured_queries)):
        export(citizen, personas)


def test_the_html_export_reads_in_danish_for_a_danish_request(citizen, personas, history):
    with translation.override("da"):
        _request, data = export(citizen, personas)
        page = access.render_html(data).decode()

    assert '<html lang="da">' in page
    for danish in ["Registrerede oplysninger om Karen Jensen", "Tidslinje", "E-mails sendt til"]:
        assert danish in page
    for english in ["Data held about", "Timeline", "E-mails sent to", "Status changed"]:
        assert english not in page
