"""The data-request pages and API: find, export, erase; errors; query counts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries import services as enquiry_services
from enquiries.models import Citizen, CprReveal, Enquiry
from privacy import services
from privacy.models import DataRequest
from tests.factories import CitizenFactory
from tests.privacy.conftest import CPR

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client_as):
    return client_as("secretariat")


def test_finding_by_cpr_number_opens_the_citizens_page_without_the_number_in_the_address(
    secretariat, citizen, closed
):
    response = secretariat.post(reverse("privacy:index"), {"cpr": "110682-1449"})

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:citizen", args=[citizen.pk])
    page = secretariat.get(response["Location"])
    assert page.status_code == 200
    assert closed.reference in page.content.decode()
    assert CPR not in page.content.decode() and "110682-1449" not in page.content.decode()
    assert "no-store" in page["Cache-Control"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("010180-1234", "No citizen has this CPR number."),
        ("3213", "Enter a CPR number as ten digits, DDMMYY-XXXX."),
        ("", "This field is required."),
    ],
)
def test_an_unknown_or_bad_number_is_named_on_the_field(secretariat, citizen, typed, message):
    response = secretariat.post(reverse("privacy:index"), {"cpr": typed})

    assert response.status_code == 400
    assert response.context["form"].errors == {"cpr": [message]}


def test_an_html_export_downloads_a_readable_page_with_the_full_number(
    secretariat, citizen, closed
):
    response = secretariat.post(
        reverse("privacy:export", args=[citizen.pk]),
        {"reason": "Brev modtaget 3. marts", "format": "html"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="indsigt-borger-')
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "110682-1449" in page and closed.reference in page and "Karen var glad" in page
    assert CprReveal.objects.filter(citizen=citizen).count() == 1


def test_a_json_export_downloads_the_data(secretariat, citizen, closed):
    response = secretariat.post(
        reverse("privacy:export", args=[citizen.pk]),
        {"reason": "Brev modtaget 3. marts", "format": "json"},
    )

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert data["citizen"]["cpr"] == "110682-1449"
    assert [e["reference"] for e in data["enquiries"]] == [closed.reference]


def test_a_bad_export_request_redisplays_the_page_naming_the_field(secretariat, citizen):
    response = secretariat.post(
        reverse("privacy:export", args=[citizen.pk]),
        {"reason": "Ringede fra 110682-1449", "format": "html"},
    )

    assert response.status_code == 400
    form = response.context["export_form"]
    assert list(form.errors) == ["reason"]
    assert form["format"].value() == "html"
    assert not DataRequest.objects.exists() and not CprReveal.objects.exists()


def test_the_erasure_page_warns_of_open_enquiries_and_refuses_naming_them(
    secretariat, citizen, closed, support, personas
):
    still_open = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Åben", citizen=citizen
    )
    url = reverse("privacy:erase", args=[citizen.pk])

    assert still_open.reference in secretariat.get(url).content.decode()
    response = secretariat.post(url, {"reason": "Brev 3. marts", "confirm": "on"})

    assert response.status_code == 400
    assert still_open.reference in str(response.context["form"].non_field_errors())
    assert response.context["form"]["reason"].value() == "Brev 3. marts"
    assert Citizen.objects.get(pk=citizen.pk).anonymised_at is None


def test_the_erasure_needs_the_confirmation(secretariat, citizen, closed):
    response = secretariat.post(reverse("privacy:erase", args=[citizen.pk]), {"reason": "Brev"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["confirm"]
    assert Citizen.objects.get(pk=citizen.pk).anonymised_at is None


def test_erasing_from_the_page_anonymises_and_says_so(secretariat, citizen, closed):
    response = secretariat.post(
        reverse("privacy:erase", args=[citizen.pk]),
        {"reason": "Brev 3. marts", "confirm": "on"},
        follow=True,
    )

    assert response.status_code == 200
    assert "erased (1 enquiries anonymised)" in response.content.decode()
    assert Enquiry.objects.get(pk=closed.pk).anonymised_at is not None
    assert DataRequest.objects.get().reason == "Brev 3. marts"


def test_the_api_erasure_refuses_an_open_case_with_a_400_naming_the_citizen(
    client_as, citizen, support, personas
):
    agent = personas["agent"]
    enquiry_services.register_enquiry(support, by=agent, subject="Åben", citizen=citizen)

    response = client_as("admin").post(
        f"/api/v1/data-requests/citizens/{citizen.pk}/erase/",
        {"reason": "Brev"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["citizen"]


def test_the_api_export_is_not_cached_and_holds_the_number(client_as, citizen, closed):
    response = client_as("secretariat").post(
        f"/api/v1/data-requests/citizens/{citizen.pk}/export/",
        {"reason": "Brev"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json()["citizen"]["cpr"] == "110682-1449"


def test_the_api_lookup_finds_by_exact_number_only(client_as, citizen):
    client = client_as("secretariat")

    found = client.post(
        "/api/v1/data-requests/lookup/", {"cpr": CPR}, content_type="application/json"
    )
    missing = client.post(
        "/api/v1/data-requests/lookup/", {"cpr": "0101801234"}, content_type="application/json"
    )
    bad = client.post(
        "/api/v1/data-requests/lookup/", {"cpr": "Karen"}, content_type="application/json"
    )

    assert found.status_code == 200 and found.json()["cpr_masked"] == "110682-xxxx"
    assert "email" not in found.json()
    assert missing.status_code == 404
    assert bad.status_code == 400 and list(bad.json()) == ["cpr"]


def _requests(n: int, by) -> None:
    for i in range(n):
        DataRequest.objects.create(
            kind="access", citizen=CitizenFactory(), reason=f"Brev {i}", handled_by=by
        )


@pytest.mark.parametrize(
    "url", [reverse("privacy:index"), "/api/v1/data-requests/"], ids=["page", "api"]
)
def test_the_request_lists_take_the_same_queries_for_1_and_25_rows(
    secretariat, personas, url, django_assert_num_queries
):
    _requests(1, personas["secretariat"])
    secretariat.get(url)  # keeps the permissions (accounts.access)
    with CaptureQueriesContext(connection) as one:
        assert secretariat.get(url).status_code == 200
    _requests(24, personas["admin"])

    with django_assert_num_queries(len(one.captured_queries)):
        response = secretariat.get(url)

    rows = response.json()["count"] if url.startswith("/api") else len(response.context["requests"])
    assert rows == 25


def test_the_citizen_page_takes_the_same_queries_for_1_and_25_enquiries(
    secretariat, citizen, support, personas, django_assert_num_queries
):
    def log(n):
        for _ in range(n):
            enquiry_services.register_enquiry(
                support, by=personas["agent"], subject="Sag", citizen=citizen
            )

    log(1)
    services.export_citizen_data(citizen, by=personas["secretariat"], reason="Brev")
    url = reverse("privacy:citizen", args=[citizen.pk])
    with CaptureQueriesContext(connection) as one:
        secretariat.get(url)
    log(24)
    services.export_citizen_data(citizen, by=personas["admin"], reason="Brev igen")

    with django_assert_num_queries(len(one.captured_queries)):
        secretariat.get(url)
