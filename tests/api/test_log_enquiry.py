"""Resolved during the call: one service behind the log page and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enquiries import services
from enquiries.models import Citizen, Enquiry, EnquiryEvent
from tests.factories import CitizenFactory

Status = Enquiry.Status
Kind = EnquiryEvent.Kind
API = "/api/v1/enquiries/"
RESOLUTION = "Ny adgangskode bestilt under samtalen."


def _state(enquiry: Enquiry) -> tuple:
    """What a reader sees of a logged enquiry, whichever way it came in."""
    return (
        enquiry.status,
        enquiry.resolution,
        enquiry.subject,
        enquiry.category_id,
        list(enquiry.events.order_by("pk").values_list("kind", flat=True)),
        enquiry.resolved_at is not None,
    )


def test_the_page_and_the_api_log_a_resolved_enquiry_alike(client_as, support, category):
    client = client_as("agent")
    page = client.post(
        reverse("enquiries:create"),
        {
            "queue": support.pk,
            "subject": "Kan ikke aktivere NemID",
            "category": category.pk,
            "priority": "2",
            "channel": "phone",
            "received_at": "2010-11-09T10:30",
            "language": "da",
            "citizen_choice": "none",
            "resolve_now": "on",
            "resolution": RESOLUTION,
        },
    )
    api = client.post(
        API,
        {
            "queue": "support",
            "subject": "Kan ikke aktivere NemID",
            "category": category.pk,
            "resolution": RESOLUTION,
        },
        content_type="application/json",
    )

    assert page.status_code == 302
    assert api.status_code == 201, api.json()
    from_page, from_api = Enquiry.objects.order_by("pk")
    assert _state(from_page) == _state(from_api)
    assert _state(from_api)[:2] == (Status.RESOLVED, RESOLUTION)
    assert _state(from_api)[4] == [Kind.CREATED, Kind.STATUS]
    assert api.json()["status"] == Status.RESOLVED


def test_the_api_logs_an_open_enquiry_without_a_resolution(client_as, support):
    response = client_as("agent").post(
        API, {"queue": "support", "subject": "Spørgsmål"}, content_type="application/json"
    )

    assert response.status_code == 201
    assert Enquiry.objects.get().status == Status.NEW


def test_the_api_refuses_a_blank_resolution_and_logs_nothing(client_as, support):
    response = client_as("agent").post(
        API,
        {"queue": "support", "subject": "Spørgsmål", "resolution": ""},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "resolution" in response.json()
    assert not Enquiry.objects.exists()


def test_a_resolution_the_service_refuses_logs_nothing(client_as, support):
    # A CPR number in the resolution: the transition refuses it, and the
    # enquiry registered before it in the same call is rolled back.
    response = client_as("agent").post(
        API,
        {"queue": "support", "subject": "Spørgsmål", "resolution": "Borger 010180-1234 hjulpet"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "resolution" in response.json()
    assert not Enquiry.objects.exists()


def test_a_new_citizen_is_registered_with_the_enquiry(support, personas):
    citizen = Citizen(name="Poul Andersen")
    citizen.set_cpr("1511389876")

    enquiry = services.log_enquiry(
        support, by=personas["agent"], subject="Spørgsmål", citizen=citizen, resolution=RESOLUTION
    )

    assert enquiry.citizen == Citizen.objects.with_cpr("1511389876").get()
    assert enquiry.status == Status.RESOLVED


def test_a_citizen_registered_meanwhile_is_refused_on_the_cpr_number(support, personas):
    CitizenFactory(cpr="1511389876")
    citizen = Citizen(name="Poul Andersen")
    citizen.set_cpr("1511389876")

    with pytest.raises(ValidationError) as refused:
        services.log_enquiry(support, by=personas["agent"], subject="Spørgsmål", citizen=citizen)

    assert "already registered" in str(refused.value.message_dict["cpr"])
    assert not Enquiry.objects.exists()
    assert Citizen.objects.count() == 1
