import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from stakeholders import services
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    MeetingAttachment,
    Organisation,
    Recommendation,
    RecommendationEvent,
    WorkingGroup,
)
from tests.stakeholders import files

MODELS = [
    Organisation,
    Contact,
    WorkingGroup,
    Meeting,
    MeetingAttachment,
    Recommendation,
    RecommendationEvent,
    FollowUp,
]


@pytest.fixture
def admin_world(world, personas):
    meeting = Meeting.objects.first()
    services.add_attachment(
        meeting, upload=files.upload("a.pdf", files.PDF), by=personas["secretariat"]
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_admin_lists_searches_and_opens_every_model(client_as, admin_world, model):
    client = client_as("admin")
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    row = model.objects.first()

    listing = client.get(reverse(f"{name}_changelist"), {"q": "NemID"})
    change = client.get(reverse(f"{name}_change", args=[row.pk]))

    assert listing.status_code == 200
    assert change.status_code == 200


def test_admin_follow_up_filter_shows_only_open_ones(client_as, world):
    FollowUp.objects.filter(code="dh-indbydelse").update(resolved_on="2010-12-01")

    response = client_as("admin").get(
        reverse("admin:stakeholders_followup_changelist"), {"state": "open"}
    )

    assert response.context["cl"].result_count == 2


def test_admin_cannot_change_a_response_without_the_history(client_as, world):
    rec = Recommendation.objects.get(code="dansk-it-smartphone")

    response = client_as("admin").get(
        reverse("admin:stakeholders_recommendation_change", args=[rec.pk])
    )

    assert "status" in response.context["adminform"].readonly_fields


def test_admin_recording_a_recommendation_writes_its_first_history_line(client_as, world, personas):
    org = Organisation.objects.get(code="kl")

    response = client_as("admin").post(
        reverse("admin:stakeholders_recommendation_add"),
        {
            "organisation": org.pk,
            "text": "Flere digitale ambassadører",
            "status": "new",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    rec = Recommendation.objects.get(organisation=org)
    assert rec.events.get().actor == personas["admin"]


def test_admin_offers_no_upload_that_bypasses_the_file_checks(client_as, db):
    response = client_as("admin").get(reverse("admin:stakeholders_meetingattachment_add"))

    assert response.status_code == 403


@pytest.mark.parametrize("app", ["stakeholders", "actions"])
def test_every_model_of_the_workspace_has_an_admin(app):
    models = apps.get_app_config(app).get_models()

    assert [m.__name__ for m in models if not admin.site.is_registered(m)] == []
