"""Do a create once, however often it is sent: the Idempotency-Key.

An API client sends the `Idempotency-Key` header (nemid_cases.api); the
log-enquiry form carries a key of its own in a hidden field, made when the
form is shown. The first request that succeeds stores its answer under a
digest of the key, in the same transaction as the work, so either both are
saved or neither. A repeat within `TTL` (a retry after a timeout, "Gem
igen" on the 503 page after a COMMIT whose answer was lost, a double click)
gets the stored answer instead of a second row.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import uuid
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import IdempotentRequest, User

TTL = datetime.timedelta(hours=24)
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def new_key() -> str:
    return uuid.uuid4().hex


def digest(key: str) -> str:
    """What is stored: a key is the client's text."""
    return hashlib.sha256(key.encode()).hexdigest()


def stored(user: User, key_digest: str) -> IdempotentRequest | None:
    """The answer stored for the key, unless it has expired."""
    from accounts.models import IdempotentRequest  # nemid_cases.api loads before the apps

    found = IdempotentRequest.objects.filter(user=user, key=key_digest).first()
    if found is not None and found.expires_at <= timezone.now():
        found.delete()
        return None
    return found


def remember(
    user: User,
    key_digest: str,
    *,
    fingerprint: str,
    status_code: int,
    body=None,
    location: str = "",
) -> None:
    """Store the answer; call inside the transaction that did the work.

    A concurrent request with the same key fails here on the unique
    constraint (IntegrityError), which rolls its work back.
    """
    from accounts.models import IdempotentRequest

    now = timezone.now()
    IdempotentRequest.objects.filter(expires_at__lte=now).delete()
    IdempotentRequest.objects.create(
        user=user,
        key=key_digest,
        fingerprint=fingerprint,
        status_code=status_code,
        body=body,
        location=location,
        expires_at=now + TTL,
    )


def once(user: User, key: str | None, work, *, location_of) -> tuple[object | None, str | None]:
    """Run `work()` once per user and form key.

    Returns (result, None) when the work ran now, or (None, location) of the
    first run's answer when this key was already done (or is being done by
    a concurrent request, which wins). Without a valid key the work runs.
    """
    if not key or not KEY.match(key):
        return work(), None
    key_digest = digest(key)
    if done := stored(user, key_digest):
        return None, done.location
    try:
        with transaction.atomic():
            result = work()
            if result is not None:
                remember(
                    user,
                    key_digest,
                    fingerprint="form",
                    status_code=302,
                    location=location_of(result),
                )
    except IntegrityError:
        # A double click: the other request stored the key first and its
        # row stands; this one's was rolled back.
        done = stored(user, key_digest)
        if done is None:
            raise
        return None, done.location
    return result, None
