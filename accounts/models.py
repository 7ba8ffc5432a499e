from __future__ import annotations

import uuid
from typing import Any, ClassVar, Protocol, TypeAlias, cast

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

# Whoever a request is made by (request.user): a member of staff or the
# anonymous visitor. Every QuerySet's visible_to() takes one.
Viewer: TypeAlias = "User | AnonymousUser"


class HasTeam(Protocol):
    """A row that belongs to a team, such as a queue (a higher app's model)."""

    @property
    def team_id(self) -> int | None: ...


class TeamQuerySet(models.QuerySet["Team"]):
    def in_scope_of(self, user: Viewer) -> TeamQuerySet:
        """The teams whose queues `user` works: their own and every team they lead.

        The one definition of a user's team scope; every `visible_to` and
        every picker starts from it (as a subquery: no query of its own).
        """
        if not getattr(user, "is_authenticated", False) or user.pk is None:
            return self.none()
        led = models.Q(lead_id=user.pk)
        return self.filter(led | models.Q(pk=user.team_id)) if user.team_id else self.filter(led)


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

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


def holders_of(app_label: str, codename: str) -> models.Q:
    """Users who hold a permission: directly, through a group, or as superuser."""
    via_group = User.objects.filter(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    ).values("pk")
    direct = User.objects.filter(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    ).values("pk")
    return models.Q(is_superuser=True) | models.Q(pk__in=via_group) | models.Q(pk__in=direct)


class UserQuerySet(models.QuerySet["User"]):
    def in_team_scope(self, team_id: int | None) -> UserQuerySet:
        """Users whose scope holds the team: its members and its lead."""
        if team_id is None:
            return self.none()
        leads = Team.objects.filter(pk=team_id).values("lead_id")
        return self.filter(models.Q(team_id=team_id) | models.Q(pk__in=leads))

    def assignable_for(self, queue: HasTeam | None) -> UserQuerySet:
        """Who may be given the queue's enquiries: active people who work
        enquiries and whose team scope holds the queue's team.

        Everyone returned can open every enquiry of the queue without being
        its assignee, so an assignment never widens who sees an enquiry.
        Oversight roles see all queues but do not work them, so they are
        assignable only where their own team scope reaches.
        """
        if queue is None or queue.team_id is None:
            return self.none()
        return self.in_team_scope(queue.team_id).filter(
            holders_of("enquiries", "change_enquiry"), is_active=True
        )


class UserManager(AuthUserManager["User"]):
    """Django's user manager with UserQuerySet's methods, written out (what
    `from_queryset` builds at run time) so that they are typed."""

    _queryset_class = UserQuerySet

    def get_queryset(self) -> UserQuerySet:
        # Built from _queryset_class, as Django's managers do.
        return cast(UserQuerySet, super().get_queryset())

    def in_team_scope(self, team_id: int | None) -> UserQuerySet:
        return self.get_queryset().in_team_scope(team_id)

    def assignable_for(self, queue: HasTeam | None) -> UserQuerySet:
        return self.get_queryset().assignable_for(queue)


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
    # Replaced whenever what the user may do changes (accounts.access): the
    # key of their permissions and roles in the cache.
    access_stamp = models.UUIDField(default=uuid.uuid4, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def scope_teams(self) -> TeamQuerySet:
        """The teams in this user's scope (see TeamQuerySet.in_scope_of)."""
        return Team.objects.in_scope_of(self)

    def scope_team_ids(self) -> models.QuerySet[Team, Any]:
        """The ids of `scope_teams()`, to filter with as a subquery."""
        return self.scope_teams().values("pk")

    def scope_team_id_set(self) -> frozenset[int]:
        """The ids of `scope_teams()` in memory (cached per instance), for
        checks on rows already read, such as an e-mail's recipient."""
        if not hasattr(self, "_scope_team_ids"):
            self._scope_team_ids = frozenset(self.scope_teams().values_list("pk", flat=True))
        return self._scope_team_ids

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
            # The authentication backend sets them with the permissions,
            # both kept in the cache (nemid_cases.auth); read them if not.
            self.get_all_permissions()
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
