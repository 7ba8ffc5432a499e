"""Fixtures for replies: the welcome letter's two versions, an enquiry with
a citizen, and a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime
import socket
import zoneinfo
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from answers import services
from answers.models import AnswerTemplate
from enquiries import services as enquiry_services
from tests.factories import CitizenFactory

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def welcome(personas):
    """The welcome letter: version 1 of 2010-07-01, version 2 of 2010-12-06."""
    first = services.create_template(
        "welcome-letter",
        by=personas["secretariat"],
        valid_from=datetime.datetime(2010, 7, 1, tzinfo=COPENHAGEN),
        subject_da="Velkommen til NemID ({reference})",
        body_da="Kære {citizen_name}\n\nVelkommen til NemID.",
        subject_en="Welcome to NemID ({reference})",
        body_en="Dear {citizen_name}\n\nWelcome to NemID.",
    )
    second = services.publish_template_version(
        AnswerTemplate.objects.get(key="welcome-letter"),
        by=personas["secretariat"],
        valid_from=datetime.datetime(2010, 12, 6, tzinfo=COPENHAGEN),
        subject_da="Velkommen til NemID ({reference})",
        body_da=(
            "Kære {citizen_name}\n\nHjælp til at komme i gang: nemid.nu. Svar senest {deadline}."
        ),
        subject_en="Welcome to NemID ({reference})",
        body_en="Dear {citizen_name}\n\nHelp to get started: nemid.nu. Answer by {deadline}.",
    )
    return {"v1": first, "v2": second}


@pytest.fixture
def citizen(db):
    return CitizenFactory(
        name="Karen Jensen", email="karen@example.org", address="Vestergade 1\n8000 Aarhus C"
    )


@pytest.fixture
def enquiry(taxonomy, personas, citizen):
    registered = enquiry_services.register_enquiry(
        taxonomy["support"],
        by=personas["agent"],
        subject="Nøglekort ikke modtaget",
        citizen=citizen,
        channel="email",
    )
    enquiry_services.transition_enquiry(registered, to="in_progress", by=personas["agent"])
    registered.refresh_from_db()
    return registered


@dataclass
class SmtpHandler:
    """Accepts mail, after refusing the first `fail_first` with a 451."""

    fail_first: int = 0
    refused: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.fail_first:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends to it over SMTP.

    Set `smtp_server.handler.fail_first = n` to refuse the first n mails.
    """
    handler = SmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    # The test runner put the in-memory backend in EMAIL_BACKEND: back to
    # the project's masking one, which hands each message to SMTP.
    settings.EMAIL_BACKEND = "nemid_cases.mail.RedactingEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    controller.handler_state = handler
    try:
        yield controller
    finally:
        controller.stop()
