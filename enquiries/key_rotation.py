"""Moving the stored CPR numbers and other secrets to new keys (`manage.py rotate_cpr_keys`).

Encryption: CPR_ENCRYPTION_KEYS lists Fernet keys, the first encrypts and
all decrypt. After a new key is put first, `rotate_encryption()`
re-encrypts every ciphertext not yet under it; then the old key can go.
It walks every field of every model declared as `cpr.EncryptedTextField`
or `cpr.EncryptedFileField` (`encrypted_fields()`): the citizens' CPR
numbers, the mailboxes' IMAP passwords, the CPR numbers found in mail and
the raw mail kept. A new encrypted field is rotated by being declared so,
and tests/enquiries/test_key_rotation.py fails for one that is not.
Digests: with a new CPR_HASH_KEY (the old one in CPR_HASH_KEY_PREVIOUS, so
look-ups keep working meanwhile), `rotate_digests()` recomputes every
digest from the decrypted number.

Both walk the rows by id in batches, each batch its own transaction, and
write a row only if it still holds what was read (compare and swap), so
they are idempotent, resumable after an interruption and safe beside the
running application, on SQLite and PostgreSQL alike. A file is rewritten
under a new name, the row swapped to it, then the old file deleted.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Case, CharField, F, TextField, Value, When

from enquiries import cpr
from enquiries.models import Citizen

BATCH_SIZE = 500
ENCRYPTED = (cpr.EncryptedTextField, cpr.EncryptedFileField)

logger = logging.getLogger(__name__)


@dataclass
class Rotation:
    """What a rotation did: rows changed, rows already current, rows it could not read."""

    changed: int = 0
    current: int = 0
    unreadable: int = 0
    conflicts: int = 0
    # The same counts per field ("app.Model.field"), for the encryption.
    fields: dict[str, Rotation] = field(default_factory=dict)

    def add(self, other: Rotation) -> None:
        self.changed += other.changed
        self.current += other.current
        self.unreadable += other.unreadable
        self.conflicts += other.conflicts


def encrypted_fields() -> list[models.Field]:
    """Every field holding a ciphertext under CPR_ENCRYPTION_KEYS, in every
    installed model (the citizens' CPR numbers first)."""
    found = [
        model_field
        for model in apps.get_models()
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, ENCRYPTED)
    ]
    return sorted(found, key=lambda f: (f.model is not Citizen, label(f)))


def label(model_field: models.Field) -> str:
    return f"{model_field.model._meta.label}.{model_field.name}"


def _citizen_batches(batch_size: int) -> Iterator[list[tuple[int, str, str | None]]]:
    """(id, ciphertext, digest) of every citizen with a CPR number, by id."""
    last = 0
    while True:
        rows = list(
            Citizen.objects.filter(pk__gt=last)
            .exclude(cpr_ciphertext="")
            .order_by("pk")
            .values_list("pk", "cpr_ciphertext", "cpr_digest")[:batch_size]
        )
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _batches(model_field: models.Field, batch_size: int) -> Iterator[list[tuple[int, str]]]:
    """(id, stored value) of every row with a value in the field, by id."""
    model, name = model_field.model, model_field.attname
    last = 0
    while True:
        rows = list(
            model._base_manager.filter(pk__gt=last)
            .exclude(**{name: ""})
            .exclude(**{f"{name}__isnull": True})
            .order_by("pk")
            .values_list("pk", name)[:batch_size]
        )
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _primary() -> Fernet:
    return Fernet(settings.CPR_ENCRYPTION_KEYS[0].encode())


def _is_current(primary: Fernet, token: bytes) -> bool:
    try:
        primary.decrypt(token)
    except InvalidToken:
        return False
    return True


def rotate_encryption(*, batch_size: int = BATCH_SIZE) -> Rotation:
    """Re-encrypt with the first key every ciphertext that is not under it
    yet, in every encrypted field (`encrypted_fields()`)."""
    result = Rotation()
    for model_field in encrypted_fields():
        if isinstance(model_field, cpr.EncryptedFileField):
            done = _rotate_files(model_field, batch_size=batch_size)
        else:
            done = _rotate_texts(model_field, batch_size=batch_size)
        result.fields[label(model_field)] = done
        result.add(done)
    return result


def _rotate_texts(model_field: models.Field, *, batch_size: int) -> Rotation:
    primary, every_key = _primary(), cpr.fernet()
    model, name = model_field.model, model_field.attname
    result = Rotation()
    for rows in _batches(model_field, batch_size):
        swaps = {}
        for pk, token in rows:
            if _is_current(primary, token.encode()):
                result.current += 1
                continue
            try:
                swaps[pk] = (token, every_key.rotate(token.encode()).decode())
            except InvalidToken:
                result.unreadable += 1
        if swaps:
            with transaction.atomic():
                # Only where the row still holds what was read: a value
                # changed meanwhile keeps its new value (already current).
                model._base_manager.filter(pk__in=swaps).update(
                    **{
                        name: Case(
                            *[
                                When(pk=pk, **{name: old}, then=Value(new))
                                for pk, (old, new) in swaps.items()
                            ],
                            default=F(name),
                            output_field=TextField(),
                        )
                    }
                )
            result.changed += len(swaps)
    return result


def _rotate_files(model_field: models.FileField, *, batch_size: int) -> Rotation:
    primary, every_key = _primary(), cpr.fernet()
    model, name, storage = model_field.model, model_field.attname, model_field.storage
    result = Rotation()
    for rows in _batches(model_field, batch_size):
        for pk, old_name in rows:
            try:
                with storage.open(old_name, "rb") as handle:
                    token = handle.read()
            except FileNotFoundError:
                logger.warning("%s of row %s: %s is missing", label(model_field), pk, old_name)
                result.unreadable += 1
                continue
            if _is_current(primary, token):
                result.current += 1
                continue
            try:
                rotated = every_key.rotate(token)
            except InvalidToken:
                result.unreadable += 1
                continue
            path = PurePosixPath(old_name)
            new_name = storage.save(
                str(path.with_name(uuid.uuid4().hex + "".join(path.suffixes))),
                ContentFile(rotated),
            )
            with transaction.atomic():
                swapped = model._base_manager.filter(pk=pk, **{name: old_name}).update(
                    **{name: new_name}
                )
            # The row moved on meanwhile (discarded, replaced): keep its file.
            storage.delete(old_name if swapped else new_name)
            if swapped:
                result.changed += 1
            else:
                result.conflicts += 1
    return result


def rotate_digests(*, batch_size: int = BATCH_SIZE) -> Rotation:
    """Recompute with CPR_HASH_KEY every digest that was made with another key."""
    every_key = cpr.fernet()
    result = Rotation()
    for rows in _citizen_batches(batch_size):
        swaps = {}
        for pk, token, digest in rows:
            try:
                digits = every_key.decrypt(token.encode()).decode()
            except InvalidToken:
                result.unreadable += 1
                continue
            wanted = cpr.cpr_digest(digits)
            if digest == wanted:
                result.current += 1
            else:
                swaps[pk] = (token, digest, wanted)
        if not swaps:
            continue
        try:
            with transaction.atomic():
                Citizen.objects.filter(pk__in=swaps).update(
                    cpr_digest=Case(
                        *[
                            When(pk=pk, cpr_ciphertext=token, cpr_digest=old, then=Value(new))
                            for pk, (token, old, new) in swaps.items()
                        ],
                        default=F("cpr_digest"),
                        output_field=CharField(),
                    )
                )
            result.changed += len(swaps)
        except IntegrityError:
            # Another citizen already has one of these numbers under the new
            # key: row by row, to move all the others and count the clashes.
            for pk, (token, old, new) in swaps.items():
                try:
                    with transaction.atomic():
                        result.changed += Citizen.objects.filter(
                            pk=pk, cpr_ciphertext=token, cpr_digest=old
                        ).update(cpr_digest=new)
                except IntegrityError:
                    result.conflicts += 1
    return result


def key_usage(*, batch_size: int = BATCH_SIZE, fields: list[models.Field] | None = None) -> Counter:
    """How many ciphertexts each key of CPR_ENCRYPTION_KEYS opens (None: no
    key does), over `fields` (every encrypted field by default)."""
    keys = [Fernet(key.encode()) for key in settings.CPR_ENCRYPTION_KEYS]
    usage: Counter = Counter()
    for model_field in encrypted_fields() if fields is None else fields:
        storage = model_field.storage if isinstance(model_field, cpr.EncryptedFileField) else None
        for rows in _batches(model_field, batch_size):
            for _pk, value in rows:
                if storage is None:
                    usage[_key_index(keys, value.encode())] += 1
                    continue
                try:
                    with storage.open(value, "rb") as handle:
                        usage[_key_index(keys, handle.read())] += 1
                except FileNotFoundError:
                    usage[None] += 1
    return usage


def _key_index(keys: list[Fernet], token: bytes) -> int | None:
    for index, key in enumerate(keys):
        try:
            key.decrypt(token)
        except InvalidToken:
            continue
        return index
    return None
