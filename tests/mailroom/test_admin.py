"""Administrators set up mailboxes; the IMAP password is stored encrypted."""

import pytest
from django.urls import reverse

from mailroom import services
from mailroom.models import Mailbox
from tests.mailroom.conftest import corpus

pytestmark = pytest.mark.django_db


def form(queue, **changes) -> dict:
    return {
        "address": "breve@sager.nemid.example",
        "queue": queue.pk,
        "is_active": "on",
        "imap_host": "imap.example.dk",
        "imap_port": "993",
        "is_imap_tls": "on",
        "imap_user": "breve",
        "imap_folder": "INBOX",
        "imap_password": "Sikkert-Kodeord-1",
    } | changes


def test_the_imap_password_is_stored_encrypted_and_never_shown(client_as, taxonomy):
    client = client_as("admin")
    client.post(reverse("admin:mailroom_mailbox_add"), form(taxonomy["ministry"]))

    mailbox = Mailbox.objects.get()
    page = client.get(reverse("admin:mailroom_mailbox_change", args=[mailbox.pk]))

    assert "Sikkert-Kodeord-1" not in mailbox.imap_password_ciphertext
    assert mailbox.imap_password() == "Sikkert-Kodeord-1"
    assert "Sikkert-Kodeord-1" not in page.content.decode()
    assert mailbox.imap_password_ciphertext not in page.content.decode()


def test_an_empty_password_field_keeps_the_stored_password(client_as, taxonomy):
    client = client_as("admin")
    client.post(reverse("admin:mailroom_mailbox_add"), form(taxonomy["ministry"]))
    mailbox = Mailbox.objects.get()

    client.post(
        reverse("admin:mailroom_mailbox_change", args=[mailbox.pk]),
        form(taxonomy["ministry"], imap_password="", imap_user="breve2"),
    )

    mailbox.refresh_from_db()
    assert mailbox.imap_user == "breve2"
    assert mailbox.imap_password() == "Sikkert-Kodeord-1"


def test_an_e_mails_admin_page_shows_the_decisions_about_it(client_as, mailbox, personas):
    row = services.receive_message(mailbox, corpus("malformed.eml"), via="push")
    services.discard_message(row, reason="Spam fra en robot", by=personas["secretariat"])

    page = client_as("admin").get(reverse("admin:mailroom_inboundmessage_change", args=[row.pk]))

    assert page.status_code == 200
    assert "Spam fra en robot" in page.content.decode()
