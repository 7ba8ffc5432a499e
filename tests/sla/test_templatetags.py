"""Deadline badges and details as the list and detail pages show them."""

import pytest
from django.template import Context, Template

from enquiries.models import Enquiry
from tests.sla.fixtures import at

Status = Enquiry.Status
# Thursday 4 November 2010, 12:00.
NOW = at(2010, 11, 4, 12)


def render(tag, enquiry):
    template = Template("{% load sla %}{% " + tag + " enquiry now %}")
    return template.render(Context({"enquiry": enquiry, "now": NOW})).strip()


def enquiry(**fields):
    fields.setdefault("status", Status.IN_PROGRESS)
    fields.setdefault("first_responded_at", at(2010, 11, 1, 9))
    return Enquiry(reference="NID-2010-000001", **fields)


@pytest.mark.parametrize(
    ("fields", "css", "text"),
    [
        ({"resolution_due_at": at(2010, 11, 4, 9)}, "badge--overdue", "Resolution: overdue by 3 h"),
        # Breached after closing: no business time has passed since.
        (
            {"resolution_due_at": at(2010, 11, 3, 16)},
            "badge--overdue",
            "Resolution: overdue by 4 h",
        ),
        ({"resolution_due_at": at(2010, 11, 4, 13)}, "badge--deadline-due_soon", "1 h left"),
        (
            {"resolution_due_at": at(2010, 11, 8, 13)},
            "badge--deadline-on_track",
            "2 working days 1 h left",
        ),
        (
            {
                "resolution_due_at": at(2010, 11, 8, 13),
                "status": Status.WAITING,
                "sla_paused_at": at(2010, 11, 2, 12),
            },
            "badge--deadline-paused",
            "paused, 4 working days 1 h left",
        ),
        (
            {"resolution_due_at": at(2010, 9, 1, 9)},
            "badge--overdue",
            "Resolution: overdue since",
        ),
        (
            {"first_responded_at": None, "first_response_due_at": at(2010, 11, 4, 11, 30)},
            "badge--overdue",
            "First response: overdue by 30 min",
        ),
    ],
)
def test_deadline_badge_shows_time_left_and_makes_breaches_stand_out(fields, css, text):
    html = render("deadline_badge", enquiry(**fields))

    assert css in html
    assert text in html
    assert "<time datetime=" in html


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"status": Status.RESOLVED, "resolution_due_at": at(2010, 11, 1, 9)},
    ],
)
def test_no_badge_without_an_open_deadline(fields):
    assert render("deadline_badge", enquiry(**fields)) == ""


def test_details_show_met_late_and_escalation():
    html = render(
        "deadline_details",
        enquiry(
            status=Status.RESOLVED,
            first_response_due_at=at(2010, 11, 1, 13),
            first_responded_at=at(2010, 11, 1, 10),
            resolution_due_at=at(2010, 11, 3, 9),
            resolved_at=at(2010, 11, 4, 9),
            escalation_level=1,
            escalated_at=at(2010, 11, 3, 9, 5),
        ),
    )

    assert "badge--deadline-met" in html
    assert "badge--deadline-late" in html
    assert "Level 1: the team lead was notified" in html


def test_details_show_the_paused_clock():
    html = render(
        "deadline_details",
        enquiry(
            status=Status.WAITING,
            resolution_due_at=at(2010, 11, 8, 9),
            sla_paused_at=at(2010, 11, 2, 12),
        ),
    )

    assert "Waiting for the citizen since" in html
    assert "paused," in html


def test_details_say_when_no_deadline_applies():
    assert "No deadlines apply" in render("deadline_details", enquiry())


def test_business_time_filter():
    import datetime

    template = Template("{% load sla %}{{ value|business_time }}")

    assert template.render(Context({"value": datetime.timedelta(hours=9, minutes=5)})) == (
        "1 working day 1 h 5 min"
    )
