"""Abstract bases the domain apps' models share; no tables of their own.

A base here only collects fields and behaviour several apps repeat word for
word, with the same names and options, so adopting it changes no schema.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Self

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def field_label(model: type[models.Model] | models.Model, name: str) -> str:
    """The verbose name of `model`'s own field `name`, as text."""
    field = model._meta.get_field(name)
    # get_field also finds reverse relations and generic keys, which have
    # no verbose name of their own.
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a field of {model._meta.label}")
    return str(field.verbose_name)


class Authored(models.Model):
    """A row people create and edit: who created it, when, and last saved."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TimelineEvent(models.Model):
    """One line of a row's timeline: who did what, and when.

    A subclass adds the row it belongs to (named by `subject_field`), its
    `Kind` choices and the values it keeps; events are written only through
    `record_event`, never edited.
    """

    subject_field: str

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("text"), blank=True, max_length=20000)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        kind = self.get_kind_display()  # type: ignore[attr-defined]
        return f"{kind} ({self.created_at:%Y-%m-%d %H:%M})"

    @classmethod
    def build_event(
        cls,
        subject: models.Model | int,
        kind: str,
        *,
        by: AbstractBaseUser | None,
        at: datetime.datetime | None = None,
        text: str = "",
        **values: Any,
    ) -> Self:
        """An unsaved event on `subject`'s timeline (the row, or its pk), at `at` or now.

        Every timeline row is built here: record_event saves one,
        record_events many at once.
        """
        target: dict[str, models.Model | int]
        if isinstance(subject, models.Model):
            target = {cls.subject_field: subject}
        else:
            target = {f"{cls.subject_field}_id": subject}
        return cls(
            **target,
            kind=kind,
            actor=by,
            created_at=at or timezone.now(),
            text=text,
            **values,
        )

    @classmethod
    def record_event(
        cls,
        subject: models.Model | int,
        kind: str,
        *,
        by: AbstractBaseUser | None,
        at: datetime.datetime | None = None,
        text: str = "",
        **values: Any,
    ) -> Self:
        """Save one event on `subject`'s timeline, at `at` or now."""
        event = cls.build_event(subject, kind, by=by, at=at, text=text, **values)
        # As objects.create() does: one INSERT with pre_save (the CPR guard),
        # on the write database even when `subject` was read from a replica.
        event.save(force_insert=True, using=router.db_for_write(cls))
        return event

    @classmethod
    def record_events(cls, events: Iterable[Self]) -> list[Self]:
        """Save events from build_event in one INSERT; each gets its pk.

        bulk_create sends no pre_save, so the CPR guard does not see these
        texts: only system-written text belongs here.
        """
        return cls._default_manager.bulk_create(events)
