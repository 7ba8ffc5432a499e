import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.models import Action, Theme
from stakeholders import services
from stakeholders.models import (
    FollowUp,
    Meeting,
    Recommendation,
    RecommendationEvent,
)
from tests.factories import (
    ContactFactory,
    FollowUpFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
)

Status = Recommendation.Status
D = datetime.date


@pytest.fixture
def secretary(personas):
    return personas["secretariat"]


def test_record_meeting_keeps_organisations_and_people_present(db, secretary):
    danid, itst = OrganisationFactory(name="DanID"), OrganisationFactory(name="ITST")
    person = ContactFactory(organisation=itst)

    meeting = services.record_meeting(
        title="Møde med Dansk IT",
        held_on=D(2010, 11, 19),
        organisations=[danid, itst],
        attendees=[person],
        by=secretary,
    )

    assert set(meeting.organisations.all()) == {danid, itst}
    assert list(meeting.attendees.all()) == [person]
    assert meeting.created_by == secretary


def test_record_meeting_refuses_a_person_whose_organisation_was_absent(db, secretary):
    present, absent = OrganisationFactory(), OrganisationFactory()
    stranger = ContactFactory(organisation=absent)

    with pytest.raises(ValidationError) as error:
        services.record_meeting(
            title="Møde",
            held_on=None,
            organisations=[present],
            attendees=[stranger],
            by=secretary,
        )

    assert "attendees" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_record_meeting_needs_an_organisation_present(db, secretary):
    with pytest.raises(ValidationError) as error:
        services.record_meeting(title="Møde", held_on=None, organisations=[], by=secretary)

    assert "organisations" in error.value.message_dict


def test_record_meeting_refuses_over_long_title_and_saves_nothing(db, secretary):
    with pytest.raises(ValidationError) as error:
        services.record_meeting(
            title="x" * 201, held_on=None, organisations=[OrganisationFactory()], by=secretary
        )

    assert "title" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_update_meeting_keeps_organisations_that_made_recommendations(db, secretary):
    maker, other = OrganisationFactory(), OrganisationFactory()
    meeting = MeetingFactory(organisations=[maker, other])
    RecommendationFactory(organisation=maker, meeting=meeting)

    with pytest.raises(ValidationError) as error:
        services.update_meeting(
            meeting,
            title=meeting.title,
            held_on=meeting.held_on,
            organisations=[other],
            attendees=[],
            working_group=None,
            agenda="",
            minutes="",
            outcome="",
            by=secretary,
        )

    assert "organisations" in error.value.message_dict
    assert set(meeting.organisations.all()) == {maker, other}


def test_record_recommendation_at_a_meeting_takes_its_date_and_writes_history(taxonomy, secretary):
    maker = OrganisationFactory()
    meeting = MeetingFactory(organisations=[maker], held_on=D(2010, 11, 25))
    topic = taxonomy["support"].topics.get(code="aktivering")

    rec = services.record_recommendation(
        maker, text="Enklere sprog", meeting=meeting, topics=[topic], by=secretary
    )

    assert rec.received_on == D(2010, 11, 25)
    assert rec.status == Status.NEW
    assert list(rec.topics.all()) == [topic]
    event = rec.events.get()
    assert (event.kind, event.actor, event.new_status) == ("created", secretary, "new")


def test_record_recommendation_refuses_an_organisation_absent_from_the_meeting(db, secretary):
    meeting = MeetingFactory()

    with pytest.raises(ValidationError) as error:
        services.record_recommendation(
            OrganisationFactory(), text="Noget", meeting=meeting, by=secretary
        )

    assert "organisation" in error.value.message_dict
    assert not Recommendation.objects.exists()


def test_respond_changes_status_and_keeps_who_and_when(db, secretary):
    rec = RecommendationFactory()
    before = timezone.now()

    services.respond_to_recommendation(
        rec,
        status=Status.DECLINED,
        response="Ikke muligt.",
        rationale="Håndteringen er bankspecifik.",
        by=secretary,
    )

    rec.refresh_from_db()
    assert rec.status == Status.DECLINED
    event = rec.events.get(kind=RecommendationEvent.Kind.STATUS)
    assert (event.old_status, event.new_status) == (Status.NEW, Status.DECLINED)
    assert event.actor == secretary
    assert event.created_at >= before
    assert event.text == "Håndteringen er bankspecifik."


def test_respond_twice_with_the_same_answer_records_one_event(db, secretary):
    rec = RecommendationFactory()
    answer = {"status": Status.ACCEPTED, "response": "Ja.", "rationale": ""}

    services.respond_to_recommendation(rec, by=secretary, **answer)
    services.respond_to_recommendation(rec, by=secretary, **answer)

    assert rec.events.count() == 1


def test_respond_with_new_text_only_records_a_response_event(db, secretary):
    rec = RecommendationFactory()
    services.respond_to_recommendation(
        rec, status=Status.ACCEPTED, response="Ja.", rationale="", by=secretary
    )

    services.respond_to_recommendation(
        rec, status=Status.ACCEPTED, response="Ja, i 2011.", rationale="", by=secretary
    )

    assert list(rec.events.values_list("kind", flat=True)) == ["status", "response"]


@pytest.mark.parametrize("status", [Status.DECLINED, Status.ALREADY_ADDRESSED])
def test_respond_without_rationale_is_refused_for_declined_and_already_addressed(
    db, secretary, status
):
    rec = RecommendationFactory()

    with pytest.raises(ValidationError) as error:
        services.respond_to_recommendation(
            rec, status=status, response="Svar", rationale="  ", by=secretary
        )

    assert "rationale" in error.value.message_dict
    rec.refresh_from_db()
    assert rec.status == Status.NEW
    assert not rec.events.exists()


def test_respond_with_a_decision_needs_a_response(db, secretary):
    with pytest.raises(ValidationError) as error:
        services.respond_to_recommendation(
            RecommendationFactory(),
            status=Status.ACCEPTED,
            response="",
            rationale="",
            by=secretary,
        )

    assert "response" in error.value.message_dict


def test_respond_with_an_unknown_status_is_refused(db, secretary):
    with pytest.raises(ValidationError) as error:
        services.respond_to_recommendation(
            RecommendationFactory(), status="maybe", response="x", rationale="", by=secretary
        )

    assert "status" in error.value.message_dict


def test_update_recommendation_records_what_changed(taxonomy, secretary):
    rec = RecommendationFactory(text="Gammel tekst")
    topic = taxonomy["support"].topics.get(code="teknik")

    services.update_recommendation(
        rec,
        organisation=rec.organisation,
        text="Ny tekst",
        meeting=None,
        received_on=None,
        topics=[topic],
        by=secretary,
    )

    event = rec.events.get()
    assert event.kind == "field"
    assert "recommendation" in event.text
    assert "concerns topics" in event.text


def test_update_recommendation_without_changes_records_nothing(db, secretary):
    rec = RecommendationFactory()

    services.update_recommendation(
        rec,
        organisation=rec.organisation,
        text=rec.text,
        meeting=None,
        received_on=None,
        topics=[],
        by=secretary,
    )

    assert not rec.events.exists()


def test_all_actions_done_counts_an_insufficient_action_until_its_follow_up_is_done(db, secretary):
    rec = RecommendationFactory()
    theme = Theme.objects.create(code="teknik", name_da="Teknik")
    fix = Action.objects.create(
        title="Print-rækkefølge", theme=theme, owner=rec.organisation, status="insufficient"
    )
    fix.origin_recommendations.add(rec)
    alternative = Action.objects.create(
        title="Alternativ løsning", theme=theme, owner=rec.organisation, follows_up=fix
    )

    def progress():
        return Recommendation.objects.with_action_progress().get(pk=rec.pk)

    assert progress().all_actions_done is False
    alternative.status = "done"
    alternative.save()
    assert progress().all_actions_done is True
    assert progress().action_count == 1


def test_all_actions_done_is_none_without_actions(db):
    rec = RecommendationFactory()

    assert Recommendation.objects.with_action_progress().get(pk=rec.pk).all_actions_done is None


def test_open_follow_up_records_who_waits_on_whom(db, secretary):
    itst, dh = OrganisationFactory(), OrganisationFactory()

    follow_up = services.open_follow_up(
        subject="DH’s svar",
        waiting_organisation=itst,
        awaited_organisation=dh,
        since_on=D(2010, 11, 30),
        waiting_user=secretary,
        by=secretary,
    )

    assert follow_up.is_open
    assert follow_up.created_by == secretary
    assert follow_up.days_waiting(today=D(2010, 12, 10)) == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"same": True}, "awaited_organisation"),
        ({"since_on": timezone.localdate() + datetime.timedelta(days=1)}, "since_on"),
        ({"expected_on": D(2010, 1, 1)}, "expected_on"),
        ({"foreign_contact": True}, "awaited_contact"),
        ({"subject": "x" * 301}, "subject"),
        ({"subject": "nul\x00byte"}, "subject"),
    ],
)
def test_open_follow_up_refuses_bad_input_naming_the_field(db, secretary, changes, field):
    waiting, awaited = OrganisationFactory(), OrganisationFactory()
    kwargs = {
        "subject": changes.get("subject", "Svar"),
        "waiting_organisation": waiting,
        "awaited_organisation": waiting if changes.get("same") else awaited,
        "since_on": changes.get("since_on", D(2010, 11, 9)),
        "expected_on": changes.get("expected_on"),
        "awaited_contact": ContactFactory() if changes.get("foreign_contact") else None,
    }

    with pytest.raises(ValidationError) as error:
        services.open_follow_up(by=secretary, **kwargs)

    assert field in error.value.message_dict
    assert not FollowUp.objects.exists()


def test_resolve_follow_up_keeps_when_and_by_whom_and_the_note(db, secretary):
    follow_up = FollowUpFactory(notes="Spørgsmål sendt.")

    services.resolve_follow_up(
        follow_up, resolved_on=D(2010, 12, 3), note="Feedback modtaget.", by=secretary
    )

    follow_up.refresh_from_db()
    assert follow_up.resolved_on == D(2010, 12, 3)
    assert follow_up.resolved_by == secretary
    assert follow_up.notes == "Spørgsmål sendt.\n\n2010-12-03: Feedback modtaget."


def test_resolve_follow_up_twice_is_refused_and_keeps_the_first(db, secretary, personas):
    follow_up = FollowUpFactory()
    services.resolve_follow_up(follow_up, resolved_on=D(2010, 12, 3), by=secretary)

    with pytest.raises(ValidationError) as error:
        services.resolve_follow_up(follow_up, resolved_on=D(2010, 12, 5), by=personas["admin"])

    assert "resolved_on" in error.value.message_dict
    follow_up.refresh_from_db()
    assert (follow_up.resolved_on, follow_up.resolved_by) == (D(2010, 12, 3), secretary)


@pytest.mark.parametrize(
    "resolved_on", [D(2010, 11, 1), timezone.localdate() + datetime.timedelta(days=2)]
)
def test_resolve_follow_up_before_waiting_or_in_the_future_is_refused(db, secretary, resolved_on):
    follow_up = FollowUpFactory(since_on=D(2010, 11, 9))

    with pytest.raises(ValidationError) as error:
        services.resolve_follow_up(follow_up, resolved_on=resolved_on, by=secretary)

    assert "resolved_on" in error.value.message_dict
    follow_up.refresh_from_db()
    assert follow_up.is_open


def test_reopen_follow_up_waits_again(db, secretary):
    follow_up = FollowUpFactory(resolved_on=D(2010, 12, 1))

    services.reopen_follow_up(follow_up, by=secretary)

    assert follow_up.is_open
    assert follow_up.resolved_by is None


def test_follow_ups_list_open_first_then_longest_waiting_on_every_database(db):
    resolved = FollowUpFactory(since_on=D(2010, 10, 1), resolved_on=D(2010, 10, 5))
    recent = FollowUpFactory(since_on=D(2010, 11, 30))
    oldest = FollowUpFactory(since_on=D(2010, 11, 9))

    assert list(FollowUp.objects.all()) == [oldest, recent, resolved]
