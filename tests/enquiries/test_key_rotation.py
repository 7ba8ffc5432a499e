"""Key rotation: every CPR number readable and findable after the old key is
gone, and every encrypted field of every model rotated with them."""

import re

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from enquiries import cpr_guard, key_rotation
from enquiries.models import Citizen
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

OLD = "lI2mu-nAOvWE2XyjO8hrqr8XQS9sz8oGBJtkpKgCyUU="
NEW = "Xh1n5MUNYJ4Wkq4pxQ3vxVh2xwJ5l8c6nFS2c0n1Q9A="
NUMBERS = ["1106821449", "0101801234", "3112992345", "0707071234", "2902801234", "0103451234"]


def formatted(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}"


@pytest.fixture
def old_citizens(settings):
    settings.CPR_ENCRYPTION_KEYS = [OLD]
    citizens = [CitizenFactory(cpr=number) for number in NUMBERS]
    CitizenFactory(name="Uden CPR")
    return citizens


def readable_with(settings, keys) -> list[str]:
    settings.CPR_ENCRYPTION_KEYS = keys
    return sorted(c.reveal_cpr() for c in Citizen.objects.exclude(cpr_ciphertext=""))


def test_rotation_moves_every_number_to_the_new_key_so_the_old_one_can_go(old_citizens, settings):
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]

    call_command("rotate_cpr_keys", batch_size=4)

    assert readable_with(settings, [NEW]) == sorted(formatted(n) for n in NUMBERS)
    for number in NUMBERS:
        assert Citizen.objects.with_cpr(number).get().reveal_cpr() == formatted(number)
    for token in Citizen.objects.exclude(cpr_ciphertext="").values_list(
        "cpr_ciphertext", flat=True
    ):
        Fernet(NEW.encode()).decrypt(token.encode())


def test_without_rotation_removing_the_old_key_loses_the_numbers(old_citizens, settings):
    settings.CPR_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(CommandError, match="6 ciphertexts decrypt with none"):
        call_command("rotate_cpr_keys", check=True)


def test_a_second_rotation_changes_nothing(old_citizens, settings):
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]
    first = key_rotation.rotate_encryption()
    tokens = list(Citizen.objects.order_by("pk").values_list("cpr_ciphertext", flat=True))

    second = key_rotation.rotate_encryption()

    assert (first.changed, first.current) == (6, 0)
    assert (second.changed, second.current) == (0, 6)
    assert list(Citizen.objects.order_by("pk").values_list("cpr_ciphertext", flat=True)) == tokens


def test_an_interrupted_rotation_resumes_where_it_stopped(old_citizens, settings, monkeypatch):
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]
    batches = key_rotation._batches

    def dies_after_one(model_field, batch_size):
        iterator = batches(model_field, batch_size)
        yield next(iterator)
        raise KeyboardInterrupt

    monkeypatch.setattr(key_rotation, "_batches", dies_after_one)
    with pytest.raises(KeyboardInterrupt):
        key_rotation.rotate_encryption(batch_size=2)
    monkeypatch.setattr(key_rotation, "_batches", batches)
    assert key_rotation.key_usage() == {0: 2, 1: 4}

    resumed = key_rotation.rotate_encryption(batch_size=2)

    assert (resumed.changed, resumed.current) == (4, 2)
    assert readable_with(settings, [NEW]) == sorted(formatted(n) for n in NUMBERS)


def test_a_number_changed_during_the_rotation_keeps_its_new_value(
    old_citizens, settings, monkeypatch
):
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]
    batches = key_rotation._batches
    changed = old_citizens[0]

    def edited_meanwhile(model_field, batch_size):
        for rows in batches(model_field, batch_size):
            # An agent corrects the number between the read and the write.
            changed.set_cpr("0202021234")
            changed.save()
            yield rows

    monkeypatch.setattr(key_rotation, "_batches", edited_meanwhile)
    key_rotation.rotate_encryption(batch_size=10)

    assert Citizen.objects.get(pk=changed.pk).reveal_cpr() == "020202-1234"


def test_a_number_under_an_unknown_key_is_reported_and_the_rest_rotated(old_citizens, settings):
    stranger = Citizen.objects.get(pk=old_citizens[0].pk)
    stranger.cpr_ciphertext = Fernet(Fernet.generate_key()).encrypt(b"1106821449").decode()
    stranger.save()
    settings.CPR_ENCRYPTION_KEYS = [NEW, OLD]

    with pytest.raises(CommandError, match="1 ciphertexts decrypt with none"):
        call_command("rotate_cpr_keys")

    assert key_rotation.key_usage() == {0: 5, None: 1}


def test_the_hash_key_rotates_with_look_ups_working_throughout(old_citizens, settings):
    settings.CPR_HASH_KEY, settings.CPR_HASH_KEY_PREVIOUS = "a-new-hash-key", ["test-hash-key"]
    # Before the digests move, look-up finds them through the previous key.
    assert Citizen.objects.with_cpr(NUMBERS[0]).exists()

    call_command("rotate_cpr_keys", digests=True, batch_size=4)
    settings.CPR_HASH_KEY_PREVIOUS = []

    for number in NUMBERS:
        assert Citizen.objects.with_cpr(number).get().reveal_cpr() == formatted(number)
    assert key_rotation.rotate_digests().changed == 0


def test_a_new_hash_key_without_the_previous_one_finds_nobody_until_rotated(old_citizens, settings):
    settings.CPR_HASH_KEY = "a-new-hash-key"

    assert not Citizen.objects.with_cpr(NUMBERS[0]).exists()
    key_rotation.rotate_digests()
    assert Citizen.objects.with_cpr(NUMBERS[0]).exists()


def test_two_citizens_with_one_number_are_reported_and_the_others_moved(old_citizens, settings):
    # A duplicate can only exist if a number was registered under the new
    # key while the other copy still had its old digest (no previous key set).
    settings.CPR_HASH_KEY = "a-new-hash-key"
    CitizenFactory(name="Dublet", cpr=NUMBERS[0])

    result = key_rotation.rotate_digests(batch_size=3)

    assert (result.changed, result.conflicts) == (5, 1)
    assert Citizen.objects.with_cpr(NUMBERS[1]).exists()


# A field that says it holds a secret: its name, its verbose name, or the
# CPR guard's reason for letting it hold ten digits (a Fernet ciphertext).
SAYS_ENCRYPTED = re.compile(r"cipher|encrypt|fernet|secret|password", re.IGNORECASE)
# Secrets that are not under CPR_ENCRYPTION_KEYS, each with the reason.
NOT_ROTATED = {
    "accounts.User.password": "a salted one-way hash, nothing to decrypt",
    "notices.WebhookSubscription.secret": (
        "the subscriber's HMAC signing key, kept in the clear (not encrypted at all)"
    ),
}


def _says_encrypted(model_field) -> bool:
    reason = cpr_guard.ALLOWED.get(cpr_guard.field_key(model_field), "")
    return any(
        SAYS_ENCRYPTED.search(str(text))
        for text in (model_field.name, model_field.verbose_name, reason)
    )


def test_every_field_that_holds_a_ciphertext_is_rotated():
    rotated = {key_rotation.label(f) for f in key_rotation.encrypted_fields()}
    declared = {
        key_rotation.label(model_field)
        for model in apps.get_models()
        if cpr_guard.is_project_app(model._meta.app_config)
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.TextField | models.CharField | models.FileField)
        and _says_encrypted(model_field)
    }

    missing = declared - rotated - set(NOT_ROTATED)

    assert not missing, (
        f"declare these as cpr.EncryptedTextField / EncryptedFileField: {sorted(missing)}"
    )
    assert rotated >= {
        "enquiries.Citizen.cpr_ciphertext",
        "mailroom.Mailbox.imap_password_ciphertext",
        "mailroom.InboundMessage.cpr_ciphertext",
        "mailroom.InboundMessage.raw",
    }


def test_the_check_finds_a_ciphertext_field_left_out():
    # Guards the test above: a plain TextField named like one is caught.
    field = models.TextField("token (encrypted)")
    field.set_attributes_from_name("token_ciphertext")
    field.model = Citizen

    assert _says_encrypted(field)
    assert not isinstance(field, key_rotation.ENCRYPTED)
