"""The staff pages: publish, update and resolve with clear errors."""

import pytest
from django.urls import reverse

from notices.models import Incident

pytestmark = pytest.mark.django_db

PUBLISH = {
    "title_da": "Signering er nede",
    "title_en": "Signing is down",
    "services": ["signing", "login"],
    "severity": "major",
    "started_at": "2026-12-07 09:00",
    "text_code": "login-down",
}


def test_the_secretariat_publishes_an_incident_from_the_page(client_as, texts):
    response = client_as("secretariat").post(reverse("notices:create"), PUBLISH, follow=True)

    incident = Incident.objects.get()
    assert incident.services == ["signing", "login"]
    assert "Log-in med NemID virker ikke lige nu" in response.content.decode()
    assert "login-down v1" in response.content.decode()


def test_an_expected_end_before_the_start_is_shown_on_its_field_in_danish(client_as, texts):
    body = PUBLISH | {"expected_end_at": "2026-12-07 08:00"}

    response = client_as("secretariat", language="da").post(reverse("notices:create"), body)

    assert response.status_code == 400
    assert 'id="id_expected_end_at_error"' in response.content.decode()
    assert "Den forventede afslutning kan ikke ligge før starten." in response.content.decode()
    assert not Incident.objects.exists()


def test_an_unknown_service_is_refused_by_the_page(client_as, texts):
    body = PUBLISH | {"services": ["teleportation"]}

    response = client_as("manager").post(reverse("notices:create"), body)

    assert response.status_code == 400
    assert 'id="id_services_error"' in response.content.decode()
    assert not Incident.objects.exists()


def test_the_services_are_a_named_group_of_checkboxes(client_as, texts):
    response = client_as("secretariat").get(reverse("notices:create"))

    content = response.content.decode()
    assert '<fieldset id="id_services"' in content
    assert "<legend>Affected services" in content


def test_an_agent_reads_the_incident_without_the_forms(client_as, publish):
    incident = publish()

    response = client_as("agent").get(reverse("notices:detail", args=[incident.pk]))

    assert "Log-in is down" in response.content.decode()
    assert reverse("notices:resolve", args=[incident.pk]) not in response.content.decode()


def test_resolving_from_the_page_ends_the_incident(client_as, publish):
    incident = publish()

    client_as("secretariat").post(
        reverse("notices:resolve", args=[incident.pk]), {"text_code": "fixed"}
    )

    incident.refresh_from_db()
    assert not incident.is_ongoing
