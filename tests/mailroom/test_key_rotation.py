"""`rotate_cpr_keys` moves the mail's secrets too: the mailboxes' IMAP
passwords, the CPR numbers found in mail and the raw mail kept; after it the
old key can go and the poller still logs in to the real Dovecot."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from enquiries import cpr_guard, key_rotation
from mailroom import services
from mailroom.models import InboundMessage, Mailbox
from tests.factories import CitizenFactory
from tests.mailroom.conftest import corpus, deliver, unseen
from tests.mailroom.test_quarantine import long_mail

pytestmark = pytest.mark.django_db

OLD = "lI2mu-nAOvWE2XyjO8hrqr8XQS9sz8oGBJtkpKgCyUU="
NEW = "Xh1n5MUNYJ4Wkq4pxQ3vxVh2xwJ5l8c6nFS2c0n1Q9A="
FERNET_TOKEN = b"gAAAAA"


@pytest.fixture
def old_secrets(settings, mailbox):
    """One of each secret, written under the old key through the real paths."""
    settings.CPR_ENCRYPTION_KEYS = [OLD]
    CitizenFactory(cpr="1106821449")
    mailbox.imap_host = "imap.example.dk"
    mailbox.set_imap_password("hemmeligt-kodeord")
    mailbox.save()
    settings.MAIL_MAX_MESSAGE_BYTES = 2000
    quarantined = services.receive_message(mailbox, long_mail(), via="push")
    settings.MAIL_MAX_MESSAGE_BYTES = 40 * 1024 * 1024
    bank = services.receive_message(mailbox, corpus("bank_notification.eml"), via="push")
    assert quarantined.raw and bank.cpr_ciphertext
    return {"mailbox": mailbox, "quarantined": quarantined, "bank": bank}


def _stored_tokens(media_root: Path) -> dict[str, bytes]:
    """Every Fernet token in the database's text columns and under MEDIA_ROOT."""
    found = {}
    for model in apps.get_models():
        if not cpr_guard.is_project_app(model._meta.app_config):
            continue
        for column in model._meta.concrete_fields:
            if not isinstance(column, models.TextField | models.CharField | models.FileField):
                continue
            rows = model._base_manager.values_list("pk", column.attname)
            for pk, value in rows:
                if isinstance(column, models.FileField) or not value:
                    continue
                if str(value).startswith(FERNET_TOKEN.decode()):
                    found[f"{key_rotation.label(column)}#{pk}"] = str(value).encode()
    for path in media_root.rglob("*"):
        if path.is_file() and path.read_bytes().startswith(FERNET_TOKEN):
            found[str(path)] = path.read_bytes()
    return found


def test_after_rotation_nothing_stored_needs_the_old_key(old_secrets, settings):
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]
    before = _stored_tokens(Path(settings.MEDIA_ROOT))

    call_command("rotate_cpr_keys", batch_size=1)

    after = _stored_tokens(Path(settings.MEDIA_ROOT))
    # A citizen's number, a password, the bank mail's numbers, one raw
    # message: every one of them moved, in the database and on disk.
    assert len(before) == len(after) == 4
    new = Fernet(NEW.encode())
    for token in after.values():
        new.decrypt(token)  # raises InvalidToken if still under the old key
    settings.CPR_ENCRYPTION_KEYS = [NEW]
    mailbox = Mailbox.objects.get(pk=old_secrets["mailbox"].pk)
    assert mailbox.imap_password() == "hemmeligt-kodeord"
    bank = InboundMessage.objects.get(pk=old_secrets["bank"].pk)
    assert bank.cpr_numbers()
    quarantined = InboundMessage.objects.get(pk=old_secrets["quarantined"].pk)
    with quarantined.raw.open("rb") as handle:
        assert new.decrypt(handle.read()) == long_mail()


def test_the_old_raw_file_is_removed_and_a_second_run_changes_nothing(old_secrets, settings):
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]
    old_name = old_secrets["quarantined"].raw.name
    storage = old_secrets["quarantined"].raw.storage

    first = key_rotation.rotate_encryption()
    second = key_rotation.rotate_encryption()

    assert not storage.exists(old_name)
    assert first.fields["mailroom.InboundMessage.raw"].changed == 1
    assert first.fields["mailroom.Mailbox.imap_password_ciphertext"].changed == 1
    assert first.fields["mailroom.InboundMessage.cpr_ciphertext"].changed == 1
    assert (second.changed, second.current) == (0, first.changed)


def test_a_message_decided_about_during_the_rotation_keeps_its_new_state(
    old_secrets, settings, personas, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]
    row = old_secrets["quarantined"]
    batches = key_rotation._batches

    def discarded_meanwhile(model_field, batch_size):
        for rows in batches(model_field, batch_size):
            if model_field.name == "raw":
                services.discard_message(row, reason="Spam", by=personas["secretariat"])
            yield rows

    monkeypatch.setattr(key_rotation, "_batches", discarded_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        result = key_rotation.rotate_encryption()

    row.refresh_from_db()
    assert not row.raw and result.fields["mailroom.InboundMessage.raw"].conflicts == 1
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.fernet"))  # no file left over


def test_removing_the_old_key_without_rotation_names_the_mail_fields(old_secrets, settings):
    settings.CPR_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(CommandError, match="4 ciphertexts decrypt with none"):
        call_command("rotate_cpr_keys", check=True)


def test_the_poller_logs_in_to_dovecot_after_the_old_key_is_gone(imap_mailbox, settings):
    password = imap_mailbox.imap_password()
    settings.CPR_ENCRYPTION_KEYS = [NEW, *settings.CPR_ENCRYPTION_KEYS]
    deliver(imap_mailbox, corpus("windows_1252.eml"))

    call_command("rotate_cpr_keys")
    settings.CPR_ENCRYPTION_KEYS = [NEW]
    (result,) = services.poll_mailboxes(now=timezone.now())

    imap_mailbox.refresh_from_db()
    assert imap_mailbox.imap_password() == password
    assert result.error == "" and result.received == 1
    assert unseen(imap_mailbox) == 0
