"""Optimistic concurrency: one version per editable row, one way to edit it.

Every model a person edits (a form or an API write) derives from
`Versioned`. Every save of such a row moves its `version` on with
`SET version = version + 1`, so a reader's copy (an HTML form's hidden
field, an API client's ETag) goes stale as soon as anything changes.

An edit made from a copy runs inside `editing(row, expected)`: the edit
first claims the row with

    UPDATE ... SET version = version + 1 WHERE pk = %s AND version = expected

in the edit's transaction. Of two editors who started from the same
version, only one claim finds its row; the other gets `StaleVersion` and
nothing of theirs is written. The claim holds the row lock until commit,
and the edit's own saves of that row do not move the version a second
time, so one edit is one version.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

# Rows claimed by the edits running in this context: (model label, pk).
_claimed: contextvars.ContextVar[frozenset[tuple[str, object]]] = contextvars.ContextVar(
    "versioning_claimed", default=frozenset()
)


class StaleVersion(Exception):
    """The row changed since the editor's copy: the edit was not written."""

    def __init__(self, instance: models.Model, *, expected: int | None, current: int | None):
        super().__init__(f"{instance._meta.label} {instance.pk}: {expected} != {current}")
        self.instance = instance
        self.expected = expected
        self.current = current


class Versioned(models.Model):
    """A row people edit: `version` counts its saves, for lost-update checks.

    Never set `version` by hand; compare it, or pass it to `editing()`.
    """

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Moves on with every save; an edit from an older version is refused."),
    )

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        field = self._meta.get_field("version")
        values = [value for value in values if value[0] is not field]
        if (self._meta.label, pk_val) not in _claimed.get():
            values.append((field, None, F("version") + 1))
            # The new number is the database's: read it again when asked.
            self.__dict__.pop("version", None)
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)


def current_version(model: type[Versioned], pk: object) -> int | None:
    """The saved version of a row, None if the row is gone."""
    return model._base_manager.filter(pk=pk).values_list("version", flat=True).first()


def claim(instance: Versioned, expected: int) -> None:
    """Claim `instance` for an edit based on `expected`, or raise StaleVersion.

    Call it inside a transaction opened by `claims()`: the conditional
    UPDATE locks the row until commit, and the edit's saves of the row in
    this context leave the version as the claim set it.
    """
    model = type(instance)
    won = model._base_manager.filter(pk=instance.pk, version=expected).update(
        version=F("version") + 1
    )
    if not won:
        raise StaleVersion(instance, expected=expected, current=current_version(model, instance.pk))
    _claimed.set(_claimed.get() | {(model._meta.label, instance.pk)})
    instance.version = expected + 1


@contextlib.contextmanager
def claims() -> Iterator[None]:
    """A transaction whose `claim()`s end with it (committed or rolled back)."""
    token = _claimed.set(_claimed.get())
    try:
        with transaction.atomic():
            yield
    finally:
        _claimed.reset(token)


@contextlib.contextmanager
def editing(instance: Versioned, expected: int) -> Iterator[None]:
    """One edit of `instance` as its editor saw it at version `expected`.

    All or nothing: StaleVersion (nothing written) if the row has moved on,
    else the block's writes and one new version, committed together.
    """
    with claims():
        claim(instance, expected)
        yield


_ENTITY_TAG = re.compile(r'^"(\d{1,10})"$')


def etag(version: int) -> str:
    """The strong entity tag of a row at `version`: "7"."""
    return f'"{version}"'


def versions_in_if_match(header: str) -> list[int | None]:
    """The versions an If-Match header names; None for any tag not ours."""
    found: list[int | None] = []
    for tag in header.split(","):
        match = _ENTITY_TAG.match(tag.strip())
        found.append(int(match.group(1)) if match else None)
    return found


def versioned_models() -> list[type[Versioned]]:
    """Every concrete model that carries a version."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, Versioned)]
