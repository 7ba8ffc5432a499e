"""Outage notices ("driftstatus"): versioned standard texts, incidents and
their public timeline."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StandardText(models.Model):
    """One version of a standard text in Danish and English.

    A change is a new row with the next version number; a saved version is
    never rewritten, so whatever quoted it keeps its exact wording.
    """

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident update")
        RESOLUTION = "resolution", _("Resolution message")
        OTHER = "other", _("Other")

    code = models.SlugField(
        _("code"),
        max_length=80,
        help_text=_("A stable key shared by every version, e.g. login-down."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INCIDENT)
    version = models.PositiveIntegerField(_("version"), editable=False)
    text_da = models.TextField(_("Danish text"), max_length=4000)
    text_en = models.TextField(_("English text"), max_length=4000)
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
        verbose_name = _("standard text")
        verbose_name_plural = _("standard texts")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="notices_standardtext_code_version"
            )
        ]
        indexes = [models.Index(fields=["code", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A standard text version is never changed; add a new version.")
        super().save(*args, **kwargs)

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_da

    @classmethod
    def current(cls, code: str, *, at: datetime | None = None) -> StandardText | None:
        """The version of `code` in force at `at` (now by default), or None."""
        at = at or timezone.now()
        return (
            cls.objects.filter(code=code, valid_from__lte=at)
            .order_by("-valid_from", "-version")
            .first()
        )
