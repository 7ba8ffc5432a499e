"""Fixtures of the mailroom tests: the corpus, mailboxes, a real IMAP server."""

import re
import shutil
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from mailroom.models import Mailbox
from tests.mailroom import imap_server

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str) -> bytes:
    """A message of tests/mailroom/corpus/, as the bytes a server holds."""
    return (CORPUS / name).read_bytes()


def unthreaded_auto_reply() -> bytes:
    """The out-of-office reply without its In-Reply-To: it threads nowhere,
    whatever reference the sequence has reached (set aside, no enquiry)."""
    raw = corpus("out_of_office.eml")
    return re.sub(rb"(?m)^In-Reply-To: [^\r\n]*\r?\n", b"", raw)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Attachments and raw messages of each test in its own directory.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAIL_MESSAGE_ID_DOMAIN = "sager.nemid.example"


@pytest.fixture
def mailbox(taxonomy):
    return Mailbox.objects.create(address="support@sager.nemid.example", queue=taxonomy["support"])


@pytest.fixture(scope="session")
def imap():
    """A private Dovecot on a free loopback port, for the whole session."""
    if not shutil.which("dovecot") and not Path(imap_server.DOVECOT).exists():
        pytest.fail("Dovecot is not installed: run `make mailserver` (dovecot-imapd).")
    server = imap_server.start()
    yield server
    imap_server.stop(server)


@pytest.fixture
def imap_mailbox(imap, taxonomy):
    """A new IMAP account on the server and a Mailbox polling it."""
    user, password = imap.new_account()
    mailbox = Mailbox(
        address=user,
        queue=taxonomy["support"],
        imap_host=imap.host,
        imap_port=imap.port,
        is_imap_tls=False,
        imap_user=user,
    )
    mailbox.set_imap_password(password)
    mailbox.save()
    return mailbox


def deliver(mailbox: Mailbox, *messages: bytes) -> None:
    """Put messages into the mailbox's INBOX on the server (IMAP APPEND)."""
    with MailBoxUnencrypted(mailbox.imap_host, port=mailbox.imap_port, timeout=10).login(
        mailbox.imap_user, mailbox.imap_password()
    ) as box:
        for raw in messages:
            box.append(raw, "INBOX", flag_set=())


def unseen(mailbox: Mailbox) -> int:
    with MailBoxUnencrypted(mailbox.imap_host, port=mailbox.imap_port, timeout=10).login(
        mailbox.imap_user, mailbox.imap_password()
    ) as box:
        return len(box.uids("UNSEEN"))
