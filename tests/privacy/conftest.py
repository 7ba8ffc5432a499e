"""Fixtures for the privacy tests: a citizen with a full history to remove."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from enquiries import services
from enquiries.models import Category, Enquiry, EnquiryEvent, Notification
from feedback import services as feedback_services
from privacy.models import RetentionPolicy
from tests.dashboards.conftest import fixed  # noqa: F401
from tests.factories import CitizenFactory
from tests.reports.conftest import autumn, report_world  # noqa: F401

CPR = "1106821449"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def citizen(db):
    return CitizenFactory(
        name="Karen Jensen",
        cpr=CPR,
        email="karen@example.invalid",
        phone="+45 20 30 40 50",
        address="Nørregade 1\n1165 København K",
        needs_large_print=True,
    )


def closed_enquiry(queue, agent, *, citizen=None, category=None, note="Ringede igen") -> Enquiry:
    """A resolved enquiry with a note, a rating comment and a rating e-mail."""
    enquiry = services.register_enquiry(
        queue,
        by=agent,
        subject="Karen Jensen har ikke fået koden",
        description="Bor hos datteren på Nørregade 1.",
        category=category,
        citizen=citizen,
    )
    services.add_note(enquiry, by=agent, text=note)
    enquiry = services.transition_enquiry(
        enquiry, to=Enquiry.Status.RESOLVED, by=agent, resolution="Ny kode sendt til Karen"
    )
    if citizen is not None and citizen.email:
        feedback_services.send_rating_invitation(enquiry, by=agent)
    feedback_services.record_rating(
        enquiry, score=4, source="agent", by=agent, comment="Karen var glad"
    )
    # An escalation e-mail to staff quotes the subject.
    event = EnquiryEvent.objects.create(
        enquiry=enquiry, kind=EnquiryEvent.Kind.ESCALATED, old_value="0", new_value="1",
        new_label="Tina Teamleder", text="Teamlederen fik besked.",
    )  # fmt: skip
    Notification.objects.create(
        key=f"enquiry-event:{event.pk}:lead@example.invalid",
        recipient="lead@example.invalid",
        subject=f"Henvendelse {enquiry.reference} har overskredet sin frist",
        body=f"Overskrift: {enquiry.subject}",
    )
    return enquiry


@pytest.fixture
def closed(support, category, citizen, personas):
    return closed_enquiry(support, personas["agent"], citizen=citizen, category=category)


@pytest.fixture
def default_policy(db):
    return RetentionPolicy.objects.create(retain_days=365, basis="Forvaltningens praksis")


def later(days: int) -> datetime.datetime:
    """A moment `days` from now: retention tests move the clock, not the data."""
    return timezone.now() + days * DAY
