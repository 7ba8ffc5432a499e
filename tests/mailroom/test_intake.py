"""Filing inbound mail: the corpus of awkward messages, threading, CPR
numbers, attachments and senders, on the real database and storage."""

from email.message import EmailMessage

import pytest
from django.core.exceptions import PermissionDenied

from enquiries import services as enquiry_services
from enquiries.models import Channel, CprReveal, Enquiry, EnquiryEvent
from mailroom import services
from mailroom.models import Correspondent, InboundAttachment, InboundMessage
from tests.factories import CitizenFactory
from tests.mailroom.conftest import corpus

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def receive(mailbox, raw: bytes) -> InboundMessage:
    return services.receive_message(mailbox, raw, via="push")


def mail(subject="Hjælp til NemID", body="Jeg kan ikke logge på.", **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("sender", "Karen Jensen <karen@example.org>")
    message["To"] = "support@sager.nemid.example"
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def enquiry_with_reference(mailbox, reference="NID-2026-000041", **kwargs) -> Enquiry:
    enquiry = enquiry_services.register_enquiry(
        mailbox.queue, by=None, subject="Nøglekort virker ikke", **kwargs
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(reference=reference)
    enquiry.refresh_from_db()
    return enquiry


def test_outlook_mail_becomes_an_email_enquiry_in_the_mailboxs_queue(mailbox):
    row = receive(mailbox, corpus("outlook.eml"))

    enquiry = row.enquiry
    assert row.status == Status.FILED and row.is_new_enquiry
    assert enquiry.queue == mailbox.queue and enquiry.channel == Channel.EMAIL
    assert enquiry.subject == "Nøglekort udløbet – kan ikke logge på"
    assert "Mit nøglekort er udløbet" in enquiry.description
    assert row.sender_name == "Søren Ærø"
    assert [a.original_name for a in row.attachments.all()] == ["image001.png"]


@pytest.mark.parametrize(
    ("name", "subject", "text"),
    [
        ("iso_8859_1.eml", "Mistet nøglekort på vej fra Århus", "fra Århus. Kan I spærre"),
        (
            "windows_1252.eml",
            "“Midlertidig adgangskode” – ikke modtaget",
            "posten – men der er gået 14 dage",
        ),
        ("apple_mail.eml", "Re: Nøglekort virker ikke", "Anne-Mette Østergård"),
    ],
)
def test_danish_letters_survive_every_charset_and_encoding(mailbox, name, subject, text):
    row = receive(mailbox, corpus(name))

    assert row.subject == subject
    assert text in row.body_text
    assert "\ufffd" not in row.subject + row.body_text + row.sender_name


def test_html_only_bank_mail_is_sanitised_and_its_text_becomes_the_description(mailbox):
    row = receive(mailbox, corpus("bank_notification.eml"))

    assert row.status == Status.FILED
    assert row.subject == "Henvendelse fra Nordbanken – spærret nøglekort"
    for unsafe in ("<script", "onload", "onclick", "javascript:", "<img", "<form", "<style"):
        assert unsafe not in row.body_html
    assert 'href="https://www.nordbanken.example/kundeservice"' in row.body_html
    assert "1.250 €" in row.enquiry.description
    assert "<" not in row.enquiry.description


def test_a_cpr_number_is_masked_on_intake_and_kept_encrypted(mailbox):
    row = receive(mailbox, corpus("windows_1252.eml"))

    assert "0101901234" not in row.body_text
    assert "010190-xxxx" in row.body_text
    assert "010190-xxxx" in row.enquiry.description
    assert row.cpr_numbers() == ["0101901234"]
    assert "0101901234" not in row.cpr_ciphertext


def test_a_mail_naming_a_known_citizens_cpr_number_suggests_that_citizen(mailbox):
    citizen = CitizenFactory(name="Jørgen Hansen", cpr="0101901234")

    row = receive(mailbox, corpus("bank_notification.eml"))

    correspondent = Correspondent.objects.get(enquiry=row.enquiry)
    assert correspondent.address == "kundeservice@nordbanken.example"
    assert correspondent.suggested_citizen == citizen
    assert row.enquiry.citizen is None


def test_an_unknown_sender_becomes_a_correspondent_without_a_suggestion(mailbox):
    CitizenFactory(email="someone.else@example.org")

    row = receive(mailbox, corpus("iso_8859_1.eml"))

    correspondent = Correspondent.objects.get(enquiry=row.enquiry)
    assert (correspondent.address, correspondent.name) == ("aase.boegh@example.dk", "Åse Bøgh")
    assert correspondent.suggested_citizen is None


def test_a_known_email_address_suggests_the_citizen(mailbox):
    citizen = CitizenFactory(email="Karen@Example.org")

    row = receive(mailbox, mail().as_bytes())

    assert Correspondent.objects.get(enquiry=row.enquiry).suggested_citizen == citizen


def test_linking_the_suggested_citizen_sets_the_enquirys_citizen(mailbox, personas):
    citizen = CitizenFactory(email="karen@example.org")
    row = receive(mailbox, mail().as_bytes())
    correspondent = Correspondent.objects.get(enquiry=row.enquiry)

    enquiry = services.link_citizen(correspondent, citizen=citizen, by=personas["agent"])

    assert enquiry.citizen == citizen
    assert EnquiryEvent.objects.filter(enquiry=enquiry, kind="citizen").exists()
    # The citizen was unknown to the agent's team: the link is logged.
    assert CprReveal.objects.filter(citizen=citizen, kind="lookup").count() == 1


def test_linking_a_citizen_the_agent_cannot_see_is_refused(mailbox, personas):
    stranger = CitizenFactory(email="other@example.org")
    row = receive(mailbox, mail().as_bytes())
    correspondent = Correspondent.objects.get(enquiry=row.enquiry)

    with pytest.raises(PermissionDenied):
        services.link_citizen(correspondent, citizen=stranger, by=personas["agent"])

    row.enquiry.refresh_from_db()
    assert row.enquiry.citizen is None


def test_a_reply_to_our_message_id_joins_the_enquiry_and_ends_the_wait(mailbox):
    enquiry = enquiry_with_reference(mailbox)
    enquiry_services.transition_enquiry(enquiry, to="in_progress", by=None)
    enquiry_services.transition_enquiry(enquiry, to="waiting", by=None)

    row = receive(mailbox, corpus("apple_mail.eml"))

    enquiry.refresh_from_db()
    assert row.enquiry == enquiry and not row.is_new_enquiry
    assert enquiry.status == Enquiry.Status.IN_PROGRESS
    assert Enquiry.objects.count() == 1
    note = enquiry.events.filter(kind="note").get()
    assert note.text.startswith("E-mail from Anne-Mette Østergård <anne.mette@icloud.com>")
    assert [a.original_name for a in row.attachments.all()] == ["skærmbillede.pdf"]


def test_a_reply_to_a_stored_message_id_joins_that_enquiry(mailbox):
    first = receive(mailbox, corpus("outlook.eml"))
    reply = mail(
        subject="SV: Nøglekort udløbet",
        In_Reply_To="<AM0PR03MB5843C1D2E3F4A5B6C7D8E9F0A1B2C@AM0PR03MB5843.eurprd03.prod.outlook.com>",
    )

    row = receive(mailbox, reply.as_bytes())

    assert row.enquiry == first.enquiry
    assert Enquiry.objects.count() == 1


def test_a_reference_in_the_subject_joins_the_enquiry_and_reopens_it(mailbox):
    enquiry = enquiry_with_reference(mailbox, reference="NID-2026-000777")
    enquiry_services.transition_enquiry(enquiry, to="resolved", by=None, resolution="Løst.")

    row = receive(mailbox, mail(subject="Sv: Din henvendelse nid-2026-000777").as_bytes())

    enquiry.refresh_from_db()
    assert row.enquiry == enquiry
    assert enquiry.status == Enquiry.Status.IN_PROGRESS


# The reference number is one sequence over every queue and year: past
# 999,999 enquiries (a few years of NemID support) it has seven digits.
@pytest.mark.parametrize("reference", ["NID-2026-1000041", "NID-2026-123456789012"])
def test_a_reference_past_six_digits_threads_by_subject_and_by_our_message_id(mailbox, reference):
    enquiry = enquiry_with_reference(mailbox, reference=reference)

    by_subject = receive(mailbox, mail(subject=f"Sv: Din henvendelse {reference}").as_bytes())
    by_message_id = receive(
        mailbox,
        corpus("apple_mail.eml").replace(b"NID-2026-000041", reference.encode()),
    )

    assert by_subject.enquiry == enquiry
    assert by_message_id.enquiry == enquiry
    assert Enquiry.objects.count() == 1


def test_our_message_id_of_another_domain_does_not_thread(mailbox):
    enquiry_with_reference(mailbox)
    reply = mail(In_Reply_To="<NID-2026-000041.k3j4h5@evil.example>")

    row = receive(mailbox, reply.as_bytes())

    assert row.is_new_enquiry


def test_out_of_office_reply_is_recorded_on_the_enquiry_but_files_nothing(mailbox):
    enquiry = enquiry_with_reference(mailbox)
    events = enquiry.events.count()

    row = receive(mailbox, corpus("out_of_office.eml"))

    assert row.status == Status.AUTO_REPLY
    assert row.reason == "Auto-Submitted: auto-replied"
    assert row.enquiry == enquiry
    assert Enquiry.objects.count() == 1
    assert enquiry.events.count() == events


def test_a_bounce_is_recognised_and_no_enquiry_is_made(mailbox):
    row = receive(mailbox, corpus("bounce.eml"))

    assert row.status == Status.BOUNCE
    assert "multipart/report" in row.reason
    assert Enquiry.objects.count() == 0


@pytest.mark.parametrize(
    ("headers", "sign"),
    [
        ({"X_Autoreply": "yes"}, "X-Autoreply: yes"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"sender": "MAILER-DAEMON@mx.example.dk"}, "From: MAILER-DAEMON@mx.example.dk"),
        ({"subject": "Autosvar: Ferie"}, "Subject: Autosvar: Ferie"),
        ({"Auto_Submitted": "auto-generated"}, "Auto-Submitted: auto-generated"),
    ],
)
def test_each_sign_of_a_machine_keeps_a_mail_out_of_the_queue(mailbox, headers, sign):
    row = receive(mailbox, mail(**headers).as_bytes())

    assert row.status in (Status.AUTO_REPLY, Status.BOUNCE)
    assert row.reason == sign
    assert Enquiry.objects.count() == 0


def test_auto_submitted_no_is_a_person(mailbox):
    row = receive(mailbox, mail(Auto_Submitted="no").as_bytes())

    assert row.status == Status.FILED


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("malformed.eml", "no readable sender address"),
        ("broken_mime.eml", "MIME structure is broken"),
    ],
)
def test_malformed_mail_is_quarantined_with_the_reason_and_kept(mailbox, name, reason):
    row = receive(mailbox, corpus(name))

    assert row.status == Status.QUARANTINED
    assert reason in row.reason
    assert Enquiry.objects.count() == 0
    stored = row.raw.read()
    assert corpus(name) not in stored  # encrypted at rest
    from enquiries.cpr import fernet

    assert fernet().decrypt(stored) == corpus(name)


def test_the_same_message_twice_is_filed_once(mailbox):
    first = receive(mailbox, corpus("outlook.eml"))
    second = receive(mailbox, corpus("outlook.eml"))

    assert first.pk == second.pk
    assert InboundMessage.objects.count() == 1 and Enquiry.objects.count() == 1


def with_attachment(data: bytes, filename: str, maintype="application", subtype="pdf"):
    message = mail()
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def test_a_program_renamed_to_pdf_is_refused_by_its_content(mailbox):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200

    row = receive(mailbox, with_attachment(program, "faktura.pdf"))

    assert row.status == Status.FILED
    assert not row.attachments.exists()
    assert "faktura.pdf was not kept: its content is not an accepted type" in row.reason
    assert row.raw  # the whole message kept, with the refused file


def test_a_pdf_named_like_a_program_is_kept_as_a_pdf(mailbox):
    row = receive(
        mailbox, with_attachment(PDF, "scan.exe", maintype="application", subtype="octet-stream")
    )

    (attachment,) = row.attachments.all()
    assert (attachment.original_name, attachment.content_type) == ("scan.exe", "application/pdf")
    assert attachment.file.read() == PDF
    assert "var" in attachment.file.path or "media" in attachment.file.path


def test_a_20_mb_attachment_is_refused_and_the_mail_still_filed(mailbox):
    big = PDF + b"0" * (20 * 1024 * 1024)

    row = receive(mailbox, with_attachment(big, "kontoudtog.pdf"))

    assert row.status == Status.FILED and row.enquiry is not None
    assert "kontoudtog.pdf was not kept: 20.0 MB is over the limit of 10.0 MB" in row.reason
    assert InboundAttachment.objects.count() == 0


def test_a_message_over_the_size_limit_is_quarantined(mailbox, settings):
    settings.MAIL_MAX_MESSAGE_BYTES = 1000

    row = receive(mailbox, with_attachment(PDF + b"0" * 2000, "stor.pdf"))

    assert row.status == Status.QUARANTINED
    assert "larger than" in row.reason


def test_a_long_mail_is_cut_to_the_description_limit(mailbox):
    row = receive(mailbox, mail(body="x" * 30000).as_bytes())

    assert row.status == Status.FILED
    assert len(row.enquiry.description) == 20000
    assert len(row.body_text) == 30000
