"""The staff pages: publish, update and resolve with clear errors."""

import pytest
from django.urls import reverse

from enquiries.models import Notification
from notices.models import Incident, PublicationDraft

pytestmark = pytest.mark.django_db

PUBLISH = {
    "title_da": "Signering er nede",
    "title_en": "Signing is down",
    "services": ["signing", "login"],
    "severity": "major",
    "started_at": "2026-12-07 09:00",
    "text_code": "login-down",
}


def test_a_manager_publishes_an_incident_from_the_page(client_as, texts):
    response = client_as("manager").post(reverse("notices:create"), PUBLISH, follow=True)

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


def test_the_secretariats_incident_is_a_draft_until_a_manager_approves_it(
    client_as, texts, personas, django_capture_on_commit_callbacks
):
    personas["manager"].email = "manager@example.org"
    personas["manager"].save()
    secretariat, manager = client_as("secretariat"), client_as("manager")

    submitted = secretariat.post(reverse("notices:create"), PUBLISH, follow=True)
    draft = PublicationDraft.objects.get()
    listed = manager.get(reverse("notices:draft-list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        approved = manager.post(
            reverse("notices:draft-approve", args=[draft.pk]),
            {"version": draft.version},
            follow=True,
        )

    assert "Sent for approval" in submitted.content.decode()
    assert submitted.redirect_chain[-1][0] == reverse("notices:draft-detail", args=[draft.pk])
    assert reverse("notices:draft-detail", args=[draft.pk]) in listed
    mail = Notification.objects.get(recipient="manager@example.org")
    assert f"/notices/drafts/{draft.pk}/" in mail.body
    assert "Approved and published" in approved.content.decode()
    incident = Incident.objects.get()
    assert incident.published_by == personas["secretariat"]
    assert client_as("anonymous").get("/status/").content.decode().count("Signering er nede") == 1


def test_the_draft_page_offers_no_decision_to_its_author_or_the_secretariat(client_as, draft):
    page = client_as("secretariat").get(reverse("notices:draft-detail", args=[draft.pk]))

    assert reverse("notices:draft-approve", args=[draft.pk]) not in page.content.decode()
    assert "Signering er nede" in page.content.decode()


def test_a_rejection_from_the_page_keeps_the_incident_off_the_status_page(client_as, draft):
    manager = client_as("manager")

    empty = manager.post(
        reverse("notices:draft-reject", args=[draft.pk]), {"version": draft.version, "reason": ""}
    )
    rejected = manager.post(
        reverse("notices:draft-reject", args=[draft.pk]),
        {"version": draft.version, "reason": "Forkert tjeneste."},
        follow=True,
    )

    assert empty.status_code == 400
    assert "Forkert tjeneste." in rejected.content.decode()
    draft.refresh_from_db()
    assert draft.status == PublicationDraft.Status.REJECTED
    assert not Incident.objects.exists()
    assert "Signering er nede" not in client_as("anonymous").get("/status/").content.decode()


def test_approving_from_a_stale_page_publishes_nothing(client_as, draft):
    stale = draft.version
    PublicationDraft.objects.get(pk=draft.pk).save()

    response = client_as("manager").post(
        reverse("notices:draft-approve", args=[draft.pk]), {"version": stale}
    )

    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_approvals_page_costs_the_same_queries_for_1_and_25(client_as, draft, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("manager")
    client.get(reverse("notices:draft-list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notices:draft-list"))
    for n in range(24):
        PublicationDraft.objects.create(
            kind=PublicationDraft.Kind.STANDARD_TEXT,
            payload={"code": f"text-{n}", "text_da": "a", "text_en": "b"},
            created_by=personas["secretariat"],
        )

    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("notices:draft-list"))

    assert response.content.decode().count("/notices/drafts/") >= 25
    assert len(many) == len(one)


def test_the_incident_page_shows_its_drafts_timeline_to_staff_not_agents(
    client_as, draft, personas
):
    from notices import services

    incident = services.approve_draft(draft, by=personas["manager"]).incident
    url = reverse("notices:detail", args=[incident.pk])

    staff = client_as("secretariat").get(url).content.decode()
    agent = client_as("agent").get(url).content.decode()

    assert 'id="incident-drafts"' in staff
    assert "Submitted for approval" in staff and "Approved and published" in staff
    assert 'id="incident-drafts"' not in agent
