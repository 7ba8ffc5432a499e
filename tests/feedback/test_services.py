"""Recording ratings, the signed rating link and the invitation e-mail."""

import datetime
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError

from enquiries import services as enquiry_services
from enquiries.models import Enquiry, Notification
from enquiries.notifications import deliver_notifications
from feedback import services
from feedback.models import EnquiryRating
from tests.factories import CitizenFactory
from tests.feedback.conftest import resolve

AGENT = EnquiryRating.Source.AGENT
CITIZEN = EnquiryRating.Source.CITIZEN


def test_the_agent_records_a_rating_at_the_end_of_the_call(resolved, personas):
    rating = services.record_rating(
        resolved, score=4, source=AGENT, by=personas["agent"], comment="  Glad  "
    )

    assert (rating.score, rating.source, rating.recorded_by) == (4, AGENT, personas["agent"])
    assert rating.comment == "Glad"


def test_a_second_rating_changes_nothing(resolved, personas):
    services.record_rating(resolved, score=2, source=CITIZEN, by=None)

    with pytest.raises(services.AlreadyRated) as raised:
        services.record_rating(resolved, score=5, source=AGENT, by=personas["agent"])

    assert "score" in raised.value.message_dict
    assert EnquiryRating.objects.get().score == 2


def test_an_open_enquiry_cannot_be_rated(open_enquiry, personas):
    with pytest.raises(ValidationError) as raised:
        services.record_rating(open_enquiry, score=3, source=AGENT, by=personas["agent"])

    assert "score" in raised.value.message_dict
    assert not EnquiryRating.objects.exists()


def test_a_reopened_enquiry_cannot_be_rated_until_resolved_again(resolved, personas):
    enquiry_services.reopen_enquiry(resolved, by=personas["agent"])

    with pytest.raises(ValidationError):
        services.record_rating(resolved, score=3, source=CITIZEN, by=None)


@pytest.mark.parametrize("score", [0, 6, -1, "3", 3.0, True, None, 2**70])
def test_only_whole_ratings_from_1_to_5_are_accepted(resolved, personas, score):
    with pytest.raises(ValidationError) as raised:
        services.record_rating(resolved, score=score, source=AGENT, by=personas["agent"])

    assert "score" in raised.value.message_dict
    assert not EnquiryRating.objects.exists()


def test_unknown_source_and_overlong_comment_name_their_fields(resolved, personas):
    with pytest.raises(ValidationError) as source:
        services.record_rating(resolved, score=3, source="robot", by=None)
    with pytest.raises(ValidationError) as comment:
        services.record_rating(resolved, score=3, source=CITIZEN, by=None, comment="x" * 2001)

    assert "source" in source.value.message_dict
    assert "comment" in comment.value.message_dict


@pytest.mark.parametrize("persona", ["manager", "secretariat"])
def test_only_those_who_may_rate_record_an_agent_rating(resolved, personas, persona):
    with pytest.raises(PermissionDenied):
        services.record_rating(resolved, score=3, source=AGENT, by=personas[persona])


def test_the_link_names_the_enquiry_and_reads_back(resolved, settings):
    settings.SITE_URL = "https://sager.example.invalid/"

    link = services.rating_link(resolved)

    assert link.startswith("https://sager.example.invalid/feedback/rate/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert services.read_rating_token(token) == resolved


def test_a_link_older_than_its_maximum_age_has_expired(resolved, settings):
    settings.FEEDBACK_RATING_LINK_MAX_AGE_DAYS = 30
    with mock.patch("time.time", return_value=time.time() - 31 * 86400):
        old = services.make_rating_token(resolved)
    with mock.patch("time.time", return_value=time.time() - 29 * 86400):
        recent = services.make_rating_token(resolved)

    with pytest.raises(services.ExpiredLink):
        services.read_rating_token(old)
    assert services.read_rating_token(recent) == resolved


def _tampered(token: str) -> str:
    payload, rest = token.split(":", 1)
    return payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + rest


@pytest.mark.parametrize(
    "make",
    [
        lambda e: "",
        lambda e: "nonsense",
        lambda e: _tampered(services.make_rating_token(e)),
        lambda e: services.make_rating_token(e)[:-3],
        lambda e: signing.dumps(e.pk, salt="another.purpose"),
        lambda e: signing.dumps(str(e.pk), salt=services.LINK_SALT),
        lambda e: signing.dumps(True, salt=services.LINK_SALT),
        lambda e: signing.dumps(999_999_999, salt=services.LINK_SALT),
        lambda e: services.make_rating_token(e) + "x" * 300,
        lambda e: "æøå:" + services.make_rating_token(e),
    ],
)
def test_invalid_links_are_refused(resolved, make):
    with pytest.raises(services.InvalidLink):
        services.read_rating_token(make(resolved))


def test_the_invitation_is_written_to_the_outbox_and_sent_after_commit(
    resolved, personas, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification, created = services.send_rating_invitation(resolved, by=personas["agent"])

    assert created
    assert ("enquiries.tasks.deliver_notifications", "notifications") in broker.tasks()
    assert notification.recipient == "karen@example.invalid"
    assert services.rating_link(resolved).split("/rate/")[0] in notification.body
    assert deliver_notifications() == 1
    (sent,) = mail.outbox
    assert sent.to == ["karen@example.invalid"]
    assert resolved.reference in sent.subject
    token = sent.body.split("/rate/")[1].split("/")[0]
    assert services.read_rating_token(token) == resolved


def test_nothing_is_sent_when_the_transaction_rolls_back(resolved, personas, broker):
    with (
        pytest.raises(RuntimeError),
        mock.patch.object(Notification.objects, "create", side_effect=RuntimeError),
    ):
        services.send_rating_invitation(resolved, by=personas["agent"])

    assert broker.published() == []
    assert not Notification.objects.exists()


def test_a_second_invitation_for_the_same_resolution_is_the_first(resolved, personas):
    first, _ = services.send_rating_invitation(resolved, by=personas["agent"])
    again, created = services.send_rating_invitation(resolved, by=personas["agent"])

    assert (again, created) == (first, False)
    assert Notification.objects.count() == 1


def test_an_english_speaking_citizen_gets_the_english_invitation(support, personas, citizen):
    enquiry = resolve(support, personas["agent"], citizen=citizen, language="en")

    notification, _ = services.send_rating_invitation(enquiry, by=personas["agent"])

    assert notification.subject.startswith("How did we do?")


def test_no_invitation_without_an_address_an_open_enquiry_or_once_rated(
    support, personas, open_enquiry, resolved
):
    agent = personas["agent"]
    no_email = resolve(support, agent, citizen=CitizenFactory(email=""))
    no_citizen = resolve(support, agent)
    services.record_rating(resolved, score=5, source=AGENT, by=agent)

    for enquiry, field in [(no_email, "email"), (no_citizen, "email"), (open_enquiry, "score")]:
        with pytest.raises(ValidationError) as raised:
            services.send_rating_invitation(enquiry, by=agent)
        assert field in raised.value.message_dict
    with pytest.raises(services.AlreadyRated):
        services.send_rating_invitation(resolved, by=agent)
    with pytest.raises(PermissionDenied):
        services.send_rating_invitation(no_email, by=personas["manager"])
    assert not Notification.objects.exists()


def test_reopening_and_resolving_again_allows_a_new_invitation(resolved, personas):
    agent = personas["agent"]
    first_resolution = resolved.resolved_at
    services.send_rating_invitation(resolved, by=agent)
    enquiry_services.reopen_enquiry(resolved, by=agent)
    enquiry_services.transition_enquiry(
        resolved,
        to=Enquiry.Status.RESOLVED,
        by=agent,
        resolution="Igen",
        now=first_resolution + datetime.timedelta(hours=1),
    )

    _notification, created = services.send_rating_invitation(resolved, by=agent)

    assert created
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_ratings_record_exactly_one(support, personas, broker):
    from tests.sla.test_concurrency import run_concurrently

    enquiry = resolve(support, personas["agent"])
    outcomes = []

    def rate(i):
        try:
            services.record_rating(enquiry, score=1 + i % 5, source=CITIZEN, by=None)
            outcomes.append("recorded")
        except services.AlreadyRated:
            outcomes.append("already")

    run_concurrently(rate, count=4)

    assert sorted(outcomes) == ["already", "already", "already", "recorded"]
    assert EnquiryRating.objects.filter(enquiry=enquiry).count() == 1
