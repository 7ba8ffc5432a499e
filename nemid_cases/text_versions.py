"""Texts published in versions: one row per version, never rewritten.

A change is a new row with the next number of its group (a standard text's
code, an answer template) and the moment it comes into force. Whatever
quoted a version (an incident update, a reply) keeps its exact wording, and
the version in force at any earlier moment can be read back.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer


class TextVersion(models.Model):
    """One version of a text; `GROUP` names the field its versions share.

    Add versions with `add_version()` (inside a transaction), which numbers
    them under a lock; read with `in_force()`.
    """

    GROUP: ClassVar[str]

    version = models.PositiveIntegerField(_("version"), editable=False)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"A {self._meta.verbose_name} is never changed; add a new version.")
        super().save(*args, **kwargs)

    @classmethod
    def add_version(
        cls,
        group: object,
        *,
        by: Viewer | None = None,
        valid_from: datetime.datetime | None = None,
        **fields: Any,
    ) -> Self:
        """Create the next version of `group`; call inside a transaction.

        The group's rows are locked first, so two editors cannot take the
        same number.
        """
        rows = cls._default_manager.filter(**{cls.GROUP: group})
        list(rows.select_for_update().values_list("pk"))
        latest = rows.aggregate(n=Max("version"))["n"] or 0
        return cls._default_manager.create(
            **{cls.GROUP: group},
            **fields,
            version=latest + 1,
            valid_from=valid_from or timezone.now(),
            created_by=by if by is not None and by.is_authenticated else None,
        )

    @classmethod
    def in_force(cls, group: object, *, at: datetime.datetime | None = None) -> Self | None:
        """The version of `group` in force at `at` (now by default), or None."""
        return (
            cls._default_manager.filter(**{cls.GROUP: group}, valid_from__lte=at or timezone.now())
            .order_by("-valid_from", "-version")
            .first()
        )

    @classmethod
    def in_force_of(
        cls, groups: models.QuerySet[Any], *, at: datetime.datetime | None = None
    ) -> dict[int, Self]:
        """{group id: version in force at `at`} for every row of `groups`
        that has one; two queries whatever their number."""
        at = at or timezone.now()
        newest = (
            cls._default_manager.filter(**{cls.GROUP: models.OuterRef("pk")}, valid_from__lte=at)
            .order_by("-valid_from", "-version")
            .values("pk")[:1]
        )
        ids = [
            pk
            for pk in groups.annotate(in_force_id=models.Subquery(newest)).values_list(
                "in_force_id", flat=True
            )
            if pk is not None
        ]
        return {
            getattr(version, f"{cls.GROUP}_id"): version
            for version in cls._default_manager.select_related(cls.GROUP).filter(pk__in=ids)
        }
