"""Administrators set up mailboxes; the IMAP password is stored encrypted."""

import pytest
from django.urls import reverse

from mailroom.models import Mailbox

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
