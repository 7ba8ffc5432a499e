"""The IMAP poller against a real Dovecot started for the tests: the
corpus delivered by IMAP APPEND, polled by the service, the management
command and the beat task."""

import io
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.utils import timezone

from enquiries.models import Enquiry
from mailroom import services, tasks
from mailroom.models import InboundMessage, Mailbox
from tests.mailroom.conftest import corpus, deliver, unseen

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status
CORPUS = [
    "outlook.eml",
    "apple_mail.eml",
    "bank_notification.eml",
    "bounce.eml",
    "out_of_office.eml",
    "malformed.eml",
    "broken_mime.eml",
    "iso_8859_1.eml",
    "windows_1252.eml",
]


def test_polling_files_the_whole_corpus_and_marks_each_message_seen(imap_mailbox):
    deliver(imap_mailbox, *(corpus(name) for name in CORPUS))

    (result,) = services.poll_mailboxes(now=timezone.now())

    assert (result.received, result.quarantined, result.error) == (9, 2, "")
    statuses = sorted(InboundMessage.objects.values_list("status", flat=True))
    assert statuses == sorted(["filed"] * 5 + ["bounce", "auto_reply"] + ["quarantined"] * 2)
    assert Enquiry.objects.count() == 5
    assert unseen(imap_mailbox) == 0
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error == "" and imap_mailbox.last_polled_at is not None


def test_a_second_poll_files_nothing_again(imap_mailbox):
    deliver(imap_mailbox, corpus("outlook.eml"))
    services.poll_mailboxes(now=timezone.now())

    (result,) = services.poll_mailboxes(now=timezone.now())

    assert result.received == 0
    assert InboundMessage.objects.count() == 1


def test_a_message_left_unseen_after_a_crash_is_not_filed_twice(imap_mailbox):
    deliver(imap_mailbox, corpus("outlook.eml"))
    # Filed, but the poller died before flagging it seen on the server.
    services.receive_message(imap_mailbox, corpus("outlook.eml"), via="imap")

    (result,) = services.poll_mailboxes(now=timezone.now())

    assert result.received == 1
    assert InboundMessage.objects.count() == 1 and Enquiry.objects.count() == 1
    assert unseen(imap_mailbox) == 0


def test_a_wrong_password_marks_the_mailbox_and_the_others_are_still_polled(
    imap, imap_mailbox, taxonomy
):
    broken = Mailbox(
        address="letters@sager.nemid.example",
        queue=taxonomy["ministry"],
        imap_host=imap.host,
        imap_port=imap.port,
        is_imap_tls=False,
        imap_user=imap_mailbox.imap_user,
    )
    broken.set_imap_password("forkert")
    broken.save()
    deliver(imap_mailbox, corpus("iso_8859_1.eml"))

    results = {r.mailbox: r for r in services.poll_mailboxes(now=timezone.now())}

    broken.refresh_from_db()
    assert "refused the login" in broken.last_error
    assert "AUTHENTICATIONFAILED" in broken.last_error
    assert broken.last_error_at is not None
    assert results[imap_mailbox.address].received == 1
    assert Enquiry.objects.count() == 1


def test_an_unreachable_server_is_recorded_as_the_mailboxs_error(imap_mailbox):
    from tests.mailroom.imap_server import free_port

    Mailbox.objects.filter(pk=imap_mailbox.pk).update(imap_port=free_port())

    (result,) = services.poll_mailboxes(now=timezone.now())

    imap_mailbox.refresh_from_db()
    assert "could not be read" in imap_mailbox.last_error
    assert result.error == imap_mailbox.last_error


def test_a_20_mb_attachment_arrives_over_imap_and_is_refused_by_size(imap_mailbox):
    message = EmailMessage()
    message["From"] = "Karen Jensen <karen@example.org>"
    message["Subject"] = "Kontoudtog"
    message.set_content("Se vedhæftede.")
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)
    message.add_attachment(big, maintype="application", subtype="pdf", filename="udtog.pdf")
    deliver(imap_mailbox, message.as_bytes())

    (result,) = services.poll_mailboxes(now=timezone.now())

    row = InboundMessage.objects.get()
    assert result.received == 1
    assert row.status == Status.FILED and row.enquiry is not None
    assert "udtog.pdf was not kept: 20.0 MB is over the limit" in row.reason
    assert not row.attachments.exists()


def test_a_message_over_the_limit_stays_on_the_server_and_is_quarantined(imap_mailbox, settings):
    settings.MAIL_MAX_MESSAGE_BYTES = 2000
    message = EmailMessage()
    message["From"] = "karen@example.org"
    message["Subject"] = "Stor"
    message.set_content("x" * 5000)
    deliver(imap_mailbox, message.as_bytes())

    (result,) = services.poll_mailboxes(now=timezone.now())

    row = InboundMessage.objects.get()
    assert result.quarantined == 1
    assert row.status == Status.QUARANTINED and "left on the IMAP server" in row.reason
    assert row.subject == "Stor" and row.size > 5000


def test_the_management_command_polls_and_reports(imap_mailbox):
    deliver(imap_mailbox, corpus("windows_1252.eml"))
    out, err = io.StringIO(), io.StringIO()

    call_command("poll_mailboxes", stdout=out, stderr=err)

    assert f"{imap_mailbox.address}: 1 received, 0 quarantined" in out.getvalue()
    assert err.getvalue() == ""


def test_the_beat_task_polls_every_mailbox(imap_mailbox, settings):
    deliver(imap_mailbox, corpus("outlook.eml"))

    (result,) = tasks.poll_mailboxes.apply().get()

    assert result["received"] == 1
    assert settings.CELERY_BEAT_SCHEDULE["poll-mailboxes"]["task"] == tasks.poll_mailboxes.name


def test_a_password_no_key_decrypts_is_named_and_the_command_reports_it(imap_mailbox):
    from cryptography.fernet import Fernet

    other_key = Fernet(Fernet.generate_key())
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(
        imap_password_ciphertext=other_key.encrypt(b"hemmelig").decode()
    )
    out, err = io.StringIO(), io.StringIO()

    call_command("poll_mailboxes", stdout=out, stderr=err)

    imap_mailbox.refresh_from_db()
    assert "cannot be decrypted with CPR_ENCRYPTION_KEYS" in imap_mailbox.last_error
    assert imap_mailbox.last_error in err.getvalue()
    assert "1 mailbox(es) could not be polled." in err.getvalue()
