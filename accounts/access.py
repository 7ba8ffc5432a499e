"""What a user may do, read from the database once per change, not per request.

Every page asks for the user's permissions (the navigation, the views'
checks) and role names (the scope): three queries on every request, about
a tenth of a page's time. The authentication backend keeps them in the
cache (nemid_cases.auth) under `key()`, made of the user's `access_stamp`:
a random value replaced in the same transaction as anything that changes
what the user may do:

- the user's groups or own permissions, from either side of the relation;
- a group's permissions, name or deletion (every member);
- a permission's deletion, and every migration (new permissions reach
  superusers and the roles' grants, accounts.roles);
- any save of the user (is_active, is_superuser; and a save of a user read
  before a change cannot write the old stamp back and revive its entry).

The user row is read on every request anyway, so the next request of
every process sees the new stamp and reads the database again; no entry
is ever deleted, old ones expire. A failing cache only means the queries.
Changes made past the ORM (raw SQL, `QuerySet.update` of groups) are not
seen: replace the stamps with `renew()` after such a change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_delete

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Access:
    permissions: frozenset[str]
    roles: frozenset[str]


def key(user: User) -> str:
    # The flags are in the key too, for a change made past save().
    return (
        f"accounts:access:{user.pk}:{user.access_stamp.hex}:{user.is_active:d}{user.is_superuser:d}"
    )


def read(user: User) -> Access:
    """What the user may do, from the database."""
    return Access(
        permissions=frozenset(ModelBackend().get_all_permissions(user)),
        roles=frozenset(user.groups.values_list("name", flat=True)),
    )


def renew(users: QuerySet | None = None) -> None:
    """Give `users` (default: everyone) new stamps, so their next request
    reads what they may do from the database."""
    from accounts.models import User

    (User.objects.all() if users is None else users).update(access_stamp=uuid.uuid4())


def _users(condition: Q) -> QuerySet:
    from accounts.models import User

    return User.objects.filter(pk__in=User.objects.filter(condition).values("pk"))


# Whom a change of each relation concerns, as user lookups: from the side
# that declares it (the instance), from the other side when it is cleared
# (the instance), and from the other side otherwise (the ids changed).
RELATIONS = {
    "user.groups": ("pk", "groups", "pk__in"),
    "user.user_permissions": ("pk", "user_permissions", "pk__in"),
    "group.permissions": ("groups", "groups__permissions", "groups__in"),
}


def _relation_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """One of RELATIONS changed, from either side (m2m_changed)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    forward, cleared, listed = RELATIONS[_through_names[sender]]
    if not reverse:
        renew(_users(Q(**{forward: instance.pk})))
    elif action == "pre_clear":
        renew(_users(Q(**{cleared: instance})))
    else:
        renew(_users(Q(**{listed: pk_set})))


_through_names: dict[Any, str] = {}


def _group_changed(sender, instance, **kwargs) -> None:
    """A group renamed (its members' role names) or deleted."""
    renew(_users(Q(groups=instance)))


def _permission_deleted(sender, instance, **kwargs) -> None:
    renew(
        _users(
            Q(user_permissions=instance) | Q(groups__permissions=instance) | Q(is_superuser=True)
        )
    )


def _user_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    stamp = uuid.uuid4()
    sender.objects.filter(pk=instance.pk).update(access_stamp=stamp)
    instance.access_stamp = stamp


def _migrated(**kwargs) -> None:
    renew()


def connect(user_model: Any, last_app: Any) -> None:
    """Connect the stamps' renewal (AccountsConfig.ready)."""
    uid = "accounts.access"
    _through_names.update(
        {
            user_model.groups.through: "user.groups",
            user_model.user_permissions.through: "user.user_permissions",
            Group.permissions.through: "group.permissions",
        }
    )
    for through in _through_names:
        m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=uid)
    post_save.connect(_group_changed, sender=Group, dispatch_uid=uid)
    pre_delete.connect(_group_changed, sender=Group, dispatch_uid=uid)
    pre_delete.connect(_permission_deleted, sender=Permission, dispatch_uid=uid)
    post_save.connect(_user_saved, sender=user_model, dispatch_uid=uid)
    # After the roles' grants (connected first, accounts.apps).
    post_migrate.connect(_migrated, sender=last_app, dispatch_uid=uid)
