"""No CPR number leaves in an e-mail or a log line (issue 8).

The guard refuses a number in stored text, so these rows are written the
way only old data or a bulk UPDATE could: past the guard.
"""

import datetime
import logging
import sys

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail

from actions.escalation import escalate_overdue_actions
from actions.models import Action, Theme
from enquiries import escalation, services
from enquiries.models import Enquiry, Notification
from enquiries.notifications import deliver_notifications
from nemid_cases import settings as project_settings
from nemid_cases.logging import RedactCprFilter, RedactingFormatter
from stakeholders.models import Contact, Organisation
from tests.sla.fixtures import at

NUMBER = "110682\u20131449"


def _assert_masked(*texts: str) -> None:
    for text in texts:
        assert "1449" not in text, text
        assert "110682-xxxx" in text, text


@pytest.fixture
def overdue_action(db):
    danid = Organisation.objects.create(code="danid", name="DanID", kind="operator")
    contact = Contact.objects.create(
        organisation=danid, name="Projektleder", email="projekt@danid.invalid"
    )
    action = Action.objects.create(
        title="Ring til borgeren",
        theme=Theme.objects.create(code="teknik", name_da="Teknik"),
        owner=danid,
        responsible=contact,
        status=Action.Status.IN_PROGRESS,
        due_phrase="medio januar 2011",
        due_start=datetime.date(2011, 1, 11),
        due_end=datetime.date(2011, 1, 20),
    )
    Action.objects.filter(pk=action.pk).update(title=f"Ring til {NUMBER}")
    return action


def test_the_action_escalation_e_mail_masks_a_cpr_number(overdue_action, personas):
    escalate_overdue_actions(now=at(2011, 1, 21, 9))

    (stored,) = Notification.objects.all()
    _assert_masked(stored.subject, stored.body)
    assert deliver_notifications(now=at(2011, 1, 21, 9)) == 1
    (message,) = mail.outbox
    _assert_masked(message.subject, message.body)


def test_the_enquiry_escalation_e_mail_masks_a_cpr_number(support, policies, lead, personas):
    enquiry = services.register_enquiry(
        support,
        by=personas["agent"],
        channel="letter",
        subject="Brevet er ikke kommet",
        received_at=at(2010, 11, 1, 9),
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(subject=f"Brev til {NUMBER}")

    escalation.escalate_overdue_enquiries(now=at(2010, 11, 4, 12))
    deliver_notifications(now=at(2010, 11, 4, 12))

    (message,) = mail.outbox
    _assert_masked(message.body)
    _assert_masked(Notification.objects.get().body)


def test_an_outbox_row_written_before_masking_is_masked_as_it_is_sent(db):
    notification = Notification.objects.create(
        key="test", recipient="a@example.invalid", subject="Emne", body="Krop"
    )
    Notification.objects.filter(pk=notification.pk).update(
        subject=f"Handling overskredet: Ring til {NUMBER}", body=f"CPR 11 06 82 1449, {NUMBER}"
    )

    deliver_notifications()

    (message,) = mail.outbox
    _assert_masked(message.subject, message.body)


def test_every_message_through_the_configured_backend_is_masked(settings):
    # The test runner swaps EMAIL_BACKEND for its outbox; the project sets ours.
    assert project_settings.EMAIL_BACKEND == "nemid_cases.mail.RedactingEmailBackend"
    settings.EMAIL_BACKEND = "nemid_cases.mail.RedactingEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    html = EmailMultiAlternatives(f"Borger {NUMBER}", "Se vedhæftet", to=["a@example.invalid"])
    html.attach_alternative(f"<p>CPR {NUMBER}</p>", "text/html")

    send_mail(f"Borger {NUMBER}", f"CPR: 11.06.82-1449\n{NUMBER}", None, ["a@example.invalid"])
    html.send()

    plain, rich = mail.outbox
    _assert_masked(plain.subject, plain.body, rich.subject, rich.alternatives[0][0])


def test_a_logged_cpr_number_is_masked_in_the_captured_record(caplog):
    logger = logging.getLogger("enquiries.test")

    with caplog.at_level(logging.INFO):
        logger.info("Borger %s ringede om %s", NUMBER, "brevet")
        logger.warning(f"Opslag på 11 06 82 1449 fejlede for {NUMBER}")

    first, second = caplog.records
    _assert_masked(first.getMessage(), second.getMessage(), caplog.text)
    assert first.getMessage() == "Borger 110682-xxxx ringede om brevet"


def test_every_configured_handler_masks_cpr_numbers_even_in_tracebacks():
    assert all(
        "redact_cpr" in handler.get("filters", [])
        for handler in django_settings.LOGGING["handlers"].values()
    )
    try:
        raise ValueError(f"no citizen {NUMBER}")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed for %s", (NUMBER,), sys.exc_info()
        )
    assert RedactCprFilter().filter(record)

    line = RedactingFormatter("%(message)s").format(record)

    _assert_masked(record.getMessage(), line)
    assert "ValueError: no citizen 110682-xxxx" in line
