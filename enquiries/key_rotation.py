"""Moving the stored CPR numbers to new keys (`manage.py rotate_cpr_keys`).

Encryption: CPR_ENCRYPTION_KEYS lists Fernet keys, the first encrypts and
all decrypt. After a new key is put first, `rotate_encryption()`
re-encrypts every ciphertext not yet under it; then the old key can go.
Digests: with a new CPR_HASH_KEY (the old one in CPR_HASH_KEY_PREVIOUS, so
look-ups keep working meanwhile), `rotate_digests()` recomputes every
digest from the decrypted number.

Both walk the citizens by id in batches, each batch its own transaction,
and write a row only if it still holds what was read (compare and swap), so
they are idempotent, resumable after an interruption and safe beside the
running application, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, F, TextField, Value, When

from enquiries import cpr
from enquiries.models import Citizen

BATCH_SIZE = 500


@dataclass
class Rotation:
    """What a rotation did: rows changed, rows already current, rows it could not read."""

    changed: int = 0
    current: int = 0
    unreadable: int = 0
    conflicts: int = 0


def _batches(batch_size: int) -> Iterator[list[tuple[int, str, str | None]]]:
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


def _primary() -> Fernet:
    return Fernet(settings.CPR_ENCRYPTION_KEYS[0].encode())


def rotate_encryption(*, batch_size: int = BATCH_SIZE) -> Rotation:
    """Re-encrypt with the first key every ciphertext that is not under it yet."""
    primary, every_key = _primary(), cpr.fernet()
    result = Rotation()
    for rows in _batches(batch_size):
        swaps = {}
        for pk, token, _digest in rows:
            try:
                primary.decrypt(token.encode())
            except InvalidToken:
                pass
            else:
                result.current += 1
                continue
            try:
                swaps[pk] = (token, every_key.rotate(token.encode()).decode())
            except InvalidToken:
                result.unreadable += 1
        if swaps:
            with transaction.atomic():
                # Only where the row still holds what was read: a number
                # changed meanwhile keeps its new value (already current).
                Citizen.objects.filter(pk__in=swaps).update(
                    cpr_ciphertext=Case(
                        *[
                            When(pk=pk, cpr_ciphertext=old, then=Value(new))
                            for pk, (old, new) in swaps.items()
                        ],
                        default=F("cpr_ciphertext"),
                        output_field=TextField(),
                    )
                )
            result.changed += len(swaps)
    return result


def rotate_digests(*, batch_size: int = BATCH_SIZE) -> Rotation:
    """Recompute with CPR_HASH_KEY every digest that was made with another key."""
    every_key = cpr.fernet()
    result = Rotation()
    for rows in _batches(batch_size):
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


def key_usage(*, batch_size: int = BATCH_SIZE) -> Counter:
    """How many ciphertexts each key of CPR_ENCRYPTION_KEYS opens (None: no key does)."""
    keys = [Fernet(key.encode()) for key in settings.CPR_ENCRYPTION_KEYS]
    usage: Counter = Counter()
    for rows in _batches(batch_size):
        for _pk, token, _digest in rows:
            usage[_key_index(keys, token)] += 1
    return usage


def _key_index(keys: list[Fernet], token: str) -> int | None:
    for index, key in enumerate(keys):
        try:
            key.decrypt(token.encode())
        except InvalidToken:
            continue
        return index
    return None
