"""The approval step: drafts, four eyes, and nothing public before approval."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Publication, needs_approval
from enquiries.models import Notification
from notices import feeds, services
from notices.models import (
    DraftEvent,
    Incident,
    IncidentUpdate,
    PublicationDraft,
    StandardText,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.factories import UserFactory


def test_a_user_without_a_publishing_role_waits_for_approval_of_everything(db):
    user = UserFactory()

    assert all(needs_approval(user, publication) for publication in Publication.values)


def test_a_user_with_a_direct_role_among_several_publishes_directly(personas):
    from django.contrib.auth.models import Group

    user = personas["secretariat"]
    user.groups.add(Group.objects.get(name="manager"))

    assert not needs_approval(user, Publication.INCIDENT)


def test_nothing_reaches_the_feeds_or_the_webhooks_before_approval(
    draft, personas, django_capture_on_commit_callbacks
):
    WebhookSubscription.objects.create(name="Bank", url="https://93.184.215.14/")

    assert feeds.public_incidents() == []
    assert not Incident.objects.exists() and not WebhookDelivery.objects.exists()

    with django_capture_on_commit_callbacks() as queued:
        approved = services.approve_draft(draft, by=personas["manager"])

    assert [i.pk for i in feeds.public_incidents()] == [approved.incident.pk]
    assert WebhookDelivery.objects.get().event_type == "incident.published"
    assert queued
    assert list(approved.events.values_list("kind", flat=True)) == ["submitted", "approved"]


def test_approvers_are_emailed_but_never_the_author(texts, personas):
    for name in ("secretariat", "manager", "admin"):
        personas[name].email = f"{name}@example.org"
        personas[name].save()
    personas["agent"].email = "agent@example.org"
    personas["agent"].save()

    draft = services.submit_standard_text(
        "login-down", text_da="Ny", text_en="New", by=personas["secretariat"]
    ).draft

    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {"manager@example.org", "admin@example.org"}
    services.approve_draft(draft, by=personas["manager"])
    assert Notification.objects.filter(recipient="secretariat@example.org").exists()


def test_the_author_may_neither_approve_nor_reject_their_own_draft(draft, personas):
    from django.contrib.auth.models import Permission

    author = personas["secretariat"]
    author.user_permissions.add(Permission.objects.get(codename="approve_publicationdraft"))
    author = type(author).objects.get(pk=author.pk)

    with pytest.raises(ValidationError) as approving:
        services.approve_draft(draft, by=author)
    with pytest.raises(ValidationError):
        services.reject_draft(draft, by=author, reason="Fortrudt.")

    assert "status" in approving.value.message_dict
    draft.refresh_from_db()
    assert draft.is_pending


def test_only_an_approver_decides(draft, personas):
    with pytest.raises(PermissionDenied):
        services.approve_draft(draft, by=personas["agent"])


def test_a_draft_is_decided_once(draft, personas):
    services.reject_draft(draft, by=personas["manager"], reason="Nej.")

    with pytest.raises(ValidationError):
        services.approve_draft(draft, by=personas["admin"])

    assert not Incident.objects.exists()
    assert DraftEvent.objects.filter(draft=draft).count() == 2


def test_an_update_draft_for_an_incident_ended_since_stays_pending(publish, personas):
    from django.contrib.auth.models import Permission

    incident = publish()
    # No role in the table: every publication waits for approval.
    author = UserFactory()
    author.user_permissions.add(Permission.objects.get(codename="publish_incident"))
    draft = services.submit_incident_update(incident, text_code="login-down", by=author).draft
    services.resolve_incident(incident, text_code="fixed", by=personas["manager"])

    with pytest.raises(ValidationError):
        services.approve_draft(draft, by=personas["manager"])

    draft.refresh_from_db()
    assert draft.is_pending
    assert IncidentUpdate.objects.filter(incident=incident).count() == 2


def test_a_draft_is_checked_as_the_publication_would_be(texts, personas):
    with pytest.raises(ValidationError) as error:
        services.submit_incident(
            title_da="x",
            title_en="x",
            services=["login"],
            severity="minor",
            started_at=timezone.now(),
            text_code="no-such-text",
            by=personas["secretariat"],
        )

    assert "text_code" in error.value.message_dict
    assert not PublicationDraft.objects.exists()


def test_an_approved_text_version_is_in_force_from_the_approval_not_before(texts, personas):
    submitted_at = timezone.now() - timedelta(hours=2)
    draft = services.submit_standard_text(
        "login-down",
        text_da="Ny",
        text_en="New",
        valid_from=submitted_at,
        by=personas["secretariat"],
        now=submitted_at,
    ).draft
    approved_at = timezone.now()

    approved = services.approve_draft(draft, by=personas["manager"], now=approved_at)

    assert approved.standard_text.version == 2
    assert approved.standard_text.valid_from == approved_at
    assert StandardText.current("login-down", at=approved_at - timedelta(minutes=1)).version == 1
