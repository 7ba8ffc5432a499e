import re
import subprocess

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from answers import delivery, letters, services, tasks
from answers.models import DeliveryAttempt, OutgoingMail, Reply
from enquiries.models import Enquiry, EnquiryEvent


def test_email_reply_from_a_template_is_on_the_timeline_and_queued(
    enquiry, welcome, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        reply = services.send_reply(
            enquiry,
            by=personas["agent"],
            channel="email",
            language="da",
            template_version=welcome["v2"],
        )

    assert reply.subject == f"Velkommen til NemID ({enquiry.reference})"
    assert reply.body.startswith("Kære Karen Jensen\n\nHjælp til at komme i gang")
    assert reply.template_version == welcome["v2"]
    assert reply.recipient_email == "karen@example.org"
    event = reply.event
    assert event.kind == EnquiryEvent.Kind.REPLY
    assert "skabelon welcome-letter version 2" in event.text
    mail = reply.mail
    assert mail.status == OutgoingMail.Status.QUEUED
    assert re.fullmatch(
        rf"<{enquiry.reference}\.[a-z0-9]{{8}}@{re.escape(settings.MAIL_MESSAGE_ID_DOMAIN)}>",
        mail.message_id,
    )
    # The e-mail is sent after commit, not inside the transaction.
    assert len(callbacks) == 1


def test_reply_to_a_citizen_without_an_address_is_a_clear_error(enquiry, personas):
    enquiry.citizen.email = ""
    enquiry.citizen.save()

    with pytest.raises(ValidationError) as refused:
        services.send_reply(
            enquiry, by=personas["agent"], channel="email", language="da", subject="a", body="b"
        )

    assert "Karen Jensen has no e-mail address" in refused.value.message_dict["channel"][0]
    assert not Reply.objects.exists()
    assert not EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.REPLY).exists()


def test_reply_can_move_the_enquiry_to_waiting_in_the_same_step(enquiry, personas):
    reply = services.send_reply(
        enquiry,
        by=personas["agent"],
        channel="letter",
        language="en",
        subject="Your key card",
        body="Dear Karen",
        wait_for_citizen=True,
    )

    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.WAITING
    assert enquiry.sla_paused_at is not None
    assert reply.template_version is None
    assert not OutgoingMail.objects.exists()
    kinds = list(enquiry.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["reply", "status"]


def test_a_refused_status_step_sends_no_reply(taxonomy, personas, citizen):
    from enquiries import services as enquiry_services

    new = enquiry_services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="Ny", citizen=citizen, channel="email"
    )

    with pytest.raises(ValidationError) as refused:
        services.send_reply(
            new,
            by=personas["agent"],
            channel="email",
            language="da",
            subject="a",
            body="b",
            wait_for_citizen=True,
        )

    assert "wait_for_citizen" in refused.value.message_dict
    assert not Reply.objects.exists()


def test_a_second_reply_references_the_first(enquiry, personas):
    first = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="a", body="b"
    )
    second = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="c", body="d"
    )

    assert second.mail.references == first.mail.message_id
    assert second.mail.message_id != first.mail.message_id


def test_a_reply_answers_the_citizens_last_mail_so_it_threads_in_their_mail_program(
    enquiry, personas, settings, tmp_path
):
    from mailroom.models import InboundMessage, Mailbox
    from mailroom.services import receive_message

    settings.MEDIA_ROOT = tmp_path
    mailbox = Mailbox.objects.create(address="support@sager.nemid.example", queue=enquiry.queue)
    filed = []
    for number in (1, 2):
        raw = (
            "From: Karen Jensen <karen@example.org>\r\n"
            "To: support@sager.nemid.example\r\n"
            f"Subject: Re: {enquiry.reference}\r\n"
            f"Message-ID: <borger-{number}@example.org>\r\n"
            "Date: Tue, 09 Nov 2010 10:0{number}:00 +0100\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Mail nummer {number}.\r\n"
        ).encode()
        filed.append(receive_message(mailbox, raw, via=InboundMessage.Via.PUSH))
    assert [message.enquiry_id for message in filed] == [enquiry.pk, enquiry.pk]

    reply = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="a", body="b"
    )

    assert reply.mail.in_reply_to == "<borger-2@example.org>"
    assert reply.mail.references == "<borger-1@example.org> <borger-2@example.org>"


@pytest.mark.django_db(transaction=True)
def test_reply_is_delivered_over_smtp_with_threading_headers(
    enquiry, welcome, personas, smtp_server
):
    first = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="en", subject="a", body="b"
    )
    reply = services.send_reply(
        enquiry,
        by=personas["agent"],
        channel="email",
        language="en",
        template_version=welcome["v2"],
    )

    assert delivery.deliver_mail(first.mail.pk) is True
    assert delivery.deliver_mail(reply.mail.pk) is True
    # Idempotent: a second run of the same task sends nothing.
    assert delivery.deliver_mail(reply.mail.pk) is False

    received = smtp_server.handler_state.messages
    assert len(received) == 2
    message = received[1]
    assert message["Message-ID"] == reply.mail.message_id
    assert message["References"] == first.mail.message_id
    assert message["To"] == "karen@example.org"
    assert message["Subject"] == f"Welcome to NemID ({enquiry.reference})"
    assert "Dear Karen Jensen" in message.get_content()
    reply.mail.refresh_from_db()
    assert reply.mail.status == OutgoingMail.Status.SENT
    assert list(reply.mail.deliveries.values_list("is_delivered", flat=True)) == [True]


@pytest.mark.django_db(transaction=True)
def test_a_refusing_server_is_retried_and_the_log_shows_each_try(enquiry, personas, smtp_server):
    smtp_server.handler_state.fail_first = 2
    reply = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="a", body="b"
    )

    for _ in range(2):
        with pytest.raises(delivery.TransientMailError, match="451"):
            tasks.send_reply_mail.run(reply.mail.pk)
    mail = OutgoingMail.objects.get(pk=reply.mail.pk)
    assert (mail.status, mail.attempts, mail.claimed_at) == ("queued", 2, None)
    assert "451" in mail.last_error

    assert tasks.send_reply_mail.run(reply.mail.pk) is True

    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT
    log = list(DeliveryAttempt.objects.filter(mail=mail).values_list("is_delivered", flat=True))
    assert log == [False, False, True]
    assert len(smtp_server.handler_state.messages) == 1


def test_the_task_retries_only_transient_mail_errors_with_backoff():
    task = tasks.send_reply_mail

    assert delivery.TransientMailError in task.autoretry_for
    assert task.retry_backoff == settings.REPLY_MAIL_RETRY_BACKOFF
    assert task.max_retries == OutgoingMail.MAX_ATTEMPTS - 1
    assert task.acks_late


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_fails_at_once(enquiry, personas, smtp_server):
    enquiry.citizen.email = "nobody@example.org"
    enquiry.citizen.save()

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp_server.handler_state.handle_RCPT = refuse
    reply = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="a", body="b"
    )

    assert delivery.deliver_mail(reply.mail.pk) is False

    mail = OutgoingMail.objects.get(pk=reply.mail.pk)
    assert mail.status == OutgoingMail.Status.FAILED
    assert "550" in mail.last_error


@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_what_a_lost_task_left(enquiry, personas, smtp_server):
    reply = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="a", body="b"
    )

    assert delivery.send_queued_mail() == 1
    assert delivery.send_queued_mail() == 0
    assert OutgoingMail.objects.get(pk=reply.mail.pk).status == "sent"


def test_letter_is_a_pdf_with_the_address_and_reference(enquiry, personas, tmp_path):
    reply = services.send_reply(
        enquiry,
        by=personas["agent"],
        channel="letter",
        language="da",
        subject="Dit nøglekort",
        body="Kære Karen\n\nDit nøglekort er sendt.",
    )

    pdf = letters.render_pdf(reply)

    assert pdf.startswith(b"%PDF")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Vestergade 1" in text
    assert enquiry.reference in text
    assert "Dit nøglekort er sendt." in text


def test_anonymising_the_enquiry_clears_its_replies_and_stops_their_mail(enquiry, personas):
    from django.utils import timezone

    from privacy.anonymise import anonymise_enquiries

    reply = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="Hej", body="Karen"
    )

    anonymise_enquiries([enquiry.pk], now=timezone.now(), cause="erasure")

    reply.refresh_from_db()
    assert (reply.recipient_name, reply.recipient_email) == ("[anonymised]", "")
    assert (reply.subject, reply.body) == ("[anonymised]", "[anonymised]")
    assert reply.mail.status == OutgoingMail.Status.FAILED
    assert delivery.deliver_mail(reply.mail.pk) is False
