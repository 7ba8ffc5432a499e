from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notices import services
from notices.models import Incident, IncidentUpdate

pytestmark = pytest.mark.django_db


def test_publish_incident_saves_it_with_its_first_update(publish, texts):
    incident = publish()

    update = incident.updates.get()
    assert incident.is_ongoing
    assert (update.kind, update.standard_text) == ("published", texts["down"])


def test_an_end_before_the_start_is_refused_naming_the_field_and_saves_nothing(publish):
    start = timezone.now()

    with pytest.raises(ValidationError) as error:
        publish(started_at=start, expected_end_at=start - timedelta(hours=1))

    assert "expected_end_at" in error.value.message_dict
    assert not Incident.objects.exists() and not IncidentUpdate.objects.exists()


def test_an_unknown_service_is_refused(publish):
    with pytest.raises(ValidationError) as error:
        publish(services=["login", "teleportation"])

    assert "teleportation" in error.value.message_dict["services"][0]
    assert not Incident.objects.exists()


def test_a_missing_standard_text_is_refused_and_saves_nothing(publish):
    with pytest.raises(ValidationError) as error:
        publish(text_code="no-such-text")

    assert "text_code" in error.value.message_dict
    assert not Incident.objects.exists()


def test_a_later_version_of_the_text_does_not_change_what_was_published(publish, texts):
    incident = publish()

    services.add_standard_text_version("login-down", text_da="Ny ordlyd", text_en="New wording")

    update = incident.updates.get()
    assert update.standard_text.text_da.startswith("Log-in med NemID virker ikke")
    later = services.post_incident_update(incident, text_code="login-down", by=None)
    assert later.standard_text.text_da == "Ny ordlyd"


def test_an_update_moves_the_expected_end(publish):
    incident = publish()
    end = timezone.now() + timedelta(hours=2)

    services.post_incident_update(incident, text_code="login-down", expected_end_at=end, by=None)

    incident.refresh_from_db()
    assert incident.expected_end_at == end
    assert incident.updates.count() == 2


def test_resolve_ends_the_incident_and_it_takes_no_more_updates(publish):
    incident = publish()

    services.resolve_incident(incident, text_code="fixed", by=None)

    incident.refresh_from_db()
    assert not incident.is_ongoing
    assert incident.updates.last().kind == "resolved"
    with pytest.raises(ValidationError):
        services.post_incident_update(incident, text_code="login-down", by=None)
    with pytest.raises(ValidationError):
        services.resolve_incident(incident, text_code="fixed", by=None)


def test_resolving_with_an_end_before_the_start_is_refused(publish):
    incident = publish()

    with pytest.raises(ValidationError) as error:
        services.resolve_incident(
            incident,
            text_code="fixed",
            ended_at=incident.started_at - timedelta(minutes=1),
            by=None,
        )

    assert "ended_at" in error.value.message_dict
    incident.refresh_from_db()
    assert incident.is_ongoing and incident.updates.count() == 1
