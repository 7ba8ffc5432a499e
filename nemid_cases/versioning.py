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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")

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


@dataclass(frozen=True)
class Difference:
    """A field where the editor's entry and the saved value differ."""

    label: str
    yours: str
    saved: str


@dataclass(frozen=True)
class Conflict:
    """A refused stale save: both versions, and where they differ."""

    yours: int | None
    saved: int | None
    differences: list[Difference]


def _shown_rows(field: forms.Field, value: Any) -> str | None:
    """A model choice's value by its rows' names; None for any other field."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        keys = [getattr(v, "pk", v) for v in value]
        return ", ".join(str(o) for o in field.queryset.filter(pk__in=keys)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        if isinstance(value, models.Model):
            return str(value)
        found = field.queryset.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    return None


def _shown(field: forms.Field, value: Any) -> str:
    """A field's value as a person reads it: labels, not ids."""
    if value in (None, "", [], ()):
        return "—"
    try:
        rows = _shown_rows(field, value)
    except (ValueError, TypeError, ValidationError):
        return str(value)
    if rows is not None:
        return rows
    if isinstance(field, forms.BooleanField):
        return gettext("Yes") if value not in (False, "false", "False", "off") else gettext("No")
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): label for k, label in field.choices}
        return str(labels.get(str(value), value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


class VersionedFormMixin:
    """An edit form of a Versioned row: carries the version its user saw.

    The hidden `version` field holds the row's version when the form was
    shown. `save_edit()` saves only if that is still the saved one; if not,
    `conflict` lists the user's entries beside the saved values and the
    form is shown again, nothing written. `versioned_row()` is the edited
    row (a ModelForm's instance by default; None on create pages).
    """

    conflict: Conflict | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=self.edits_row,
            min_value=1,
            initial=self.versioned_row().version if self.edits_row else None,
            error_messages={
                "required": _("This form is out of date: open the page again to edit."),
            },
        )

    def versioned_row(self) -> Versioned | None:
        return getattr(self, "instance", None)

    @property
    def edits_row(self) -> bool:
        """True on an edit page, False where the form creates a row."""
        row = self.versioned_row()
        return row is not None and row.pk is not None

    @property
    def user_changed(self) -> list[str]:
        """The fields this user changed: the form's entries against the row.

        Only meaningful while the version matches, when the row the form
        was built from is the row its user saw.
        """
        return [name for name in self.changed_data if name != "version"]

    def show_conflict(self, stale: StaleVersion) -> None:
        """Keep the user's entries, list them beside the saved values."""
        differences = []
        for name in self.user_changed:
            field = self.fields[name]
            saved = self.get_initial_for_field(field, name)
            differences.append(
                Difference(
                    label=str(field.label or name),
                    yours=_shown(field, self[name].value()),
                    saved=_shown(field, saved),
                )
            )
        self.conflict = Conflict(stale.expected, stale.current, differences)
        self.add_error(
            None,
            _(
                "Someone else saved this while you were editing: you began from version "
                "%(yours)s, the saved one is version %(saved)s. Nothing of yours was saved; "
                "your entries are kept below beside the saved values."
            )
            % {"yours": stale.expected, "saved": stale.current},
        )
        # Saving again is now a decision taken with the saved values in view.
        data = self.data.copy()
        data[self.add_prefix("version")] = stale.current
        self.data = data


def save_edit(form: VersionedFormMixin, row: Versioned, save: Callable[[], T]) -> T | None:
    """Run `save()` as one edit of `row` at the version `form` carries.

    Returns what `save()` returns; None, with the form showing why, when the
    row has moved on (nothing written) or `save()` put errors on the form
    (rolled back, version unchanged). A ValidationError rolls back and
    propagates.
    """
    try:
        with editing(row, form.cleaned_data["version"]):
            saved = save()
            if saved is None or form.errors:
                transaction.set_rollback(True)
                return None
    except StaleVersion as stale:
        form.show_conflict(stale)
        return None
    return saved


def save_changed_fields(form: forms.ModelForm) -> models.Model:
    """Save a ModelForm's instance, writing only the fields its user changed.

    Other fields keep what the database holds, so a save never writes back
    a value its user did not touch (and auto_now fields still move on).
    """
    instance = form.save(commit=False)
    names = set(form.user_changed)
    concrete = [
        f.name
        for f in instance._meta.concrete_fields
        if f.name in names or getattr(f, "auto_now", False)
    ]
    if instance.pk is None:
        instance.save()
    elif concrete:
        instance.save(update_fields=concrete)
    for field in instance._meta.many_to_many:
        if field.name in names:
            getattr(instance, field.name).set(form.cleaned_data[field.name])
    return instance


def versioned_models() -> list[type[Versioned]]:
    """Every concrete model that carries a version."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, Versioned)]
