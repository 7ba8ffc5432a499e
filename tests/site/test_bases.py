"""The shared abstract bases: one way to write a timeline line, one
authored block, one list of Danish month names."""

import datetime

import pytest
from django.utils import timezone

from actions.due import DA_MONTHS, parse_due
from actions.models import Action, ActionEvent
from enquiries.models import Enquiry, EnquiryEvent
from nemid_cases.danish import MONTH_NAMES
from nemid_cases.models import Authored, TimelineEvent
from reports.formatting import da_date, period_phrase
from stakeholders.models import Meeting, Recommendation, RecommendationEvent
from tests.factories import ActionFactory, EnquiryFactory, RecommendationFactory

TIMELINES = [
    (EnquiryEvent, EnquiryFactory, {"old_value": "new", "new_value": "resolved"}),
    (RecommendationEvent, RecommendationFactory, {"new_status": "accepted"}),
    (ActionEvent, ActionFactory, {"new_value": "done"}),
]


@pytest.mark.parametrize(("model", "factory", "values"), TIMELINES)
def test_record_event_writes_one_line_on_its_subject(model, factory, values, personas):
    subject = factory()
    at = timezone.now() - datetime.timedelta(days=3)

    event = model.record_event(
        subject, model.Kind.STATUS, by=personas["agent"], at=at, text="why", **values
    )

    event.refresh_from_db()
    assert getattr(event, model.subject_field) == subject
    assert (event.kind, event.actor, event.created_at, event.text) == (
        model.Kind.STATUS,
        personas["agent"],
        at,
        "why",
    )
    assert all(getattr(event, name) == value for name, value in values.items())
    assert list(subject.events.all()) == [event]


@pytest.mark.parametrize(("model", "factory", "values"), TIMELINES)
def test_record_event_without_a_time_is_now_and_without_a_user_is_the_system(
    model, factory, values, db
):
    before = timezone.now()
    event = model.record_event(factory(), model.Kind.CREATED, by=None)
    assert event.actor is None
    assert before <= event.created_at <= timezone.now()


def test_the_timelines_and_the_authored_rows_share_their_bases():
    assert all(issubclass(model, TimelineEvent) for model, _, _ in TIMELINES)
    assert all(issubclass(m, Authored) for m in (Enquiry, Action, Meeting, Recommendation))


def test_due_dates_and_the_report_write_the_same_danish_month_names():
    assert DA_MONTHS[1:] == list(MONTH_NAMES)
    for month, name in enumerate(MONTH_NAMES, start=1):
        day = datetime.date(2011, month, 1)
        assert da_date(day) == f"1. {name} 2011"
        assert parse_due(f"{name} 2011").start == day
    assert period_phrase(datetime.date(2011, 1, 1), datetime.date(2011, 2, 28)) == "januar-februar"
