from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class Team(models.Model):
    """A group of support staff that works one or more queues together."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        "User",
        verbose_name=_("team lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def assignable_for(self, queue) -> UserQuerySet:
        """Active users who may be given the queue's enquiries.

        Minimal version: the members of the queue's team and its lead.
        """
        if queue.team_id is None:
            return self.none()
        leads = Team.objects.filter(pk=queue.team_id).values("lead_id")
        return self.filter(models.Q(team_id=queue.team_id) | models.Q(pk__in=leads), is_active=True)


class UserManager(AuthUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A member of staff. Roles are Django groups (see accounts.roles).

    `language` is the person's own choice of UI language (empty: Danish).
    """

    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    is_absent = models.BooleanField(
        _("absent"),
        default=False,
        help_text=_("Absent staff get no automatically assigned enquiries."),
    )
    # Empty until the user picks a language with the switch: the site's
    # language (Danish) then applies, whatever the browser asks for.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the pages, set by the user's language switch."),
    )

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: Role) -> bool:
        """Whether the user holds any of the roles (cached per instance)."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return bool(self.role_names & {str(role) for role in roles})

    @property
    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names


class IdempotentRequest(models.Model):
    """An API POST made with an `Idempotency-Key`, and the answer it got.

    A repeat of the key by the same user within `expires_at` gets the stored
    answer instead of doing the work again (nemid_cases.api).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # A SHA-256 of the client's key.
    key = models.CharField(max_length=255)
    # What the key was first used for: method, path and a digest of the body.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
