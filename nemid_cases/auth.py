"""Django's ModelBackend, with what each user may do kept in the cache.

The permissions and role names are read once per change of what the user
may do (accounts.access: the key moves with the user's `access_stamp`),
not on every request; a failing cache only means reading them
(nemid_cases.caching).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts import access
from nemid_cases import caching

KEEP_SECONDS = 3600


def access_of(user: Any) -> access.Access:
    """The user's permissions and role names, kept while their stamp holds."""
    return caching.get_or_set(access.key(user), lambda: access.read(user), KEEP_SECONDS)


class CachedModelBackend(ModelBackend):
    """Reads the permissions through `access_of`, and sets the role names
    (`User.role_names`) from the same entry."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and user_obj.pk is not None
            and not hasattr(user_obj, "_perm_cache")
        ):
            kept = access_of(user_obj)
            user_obj._perm_cache = set(kept.permissions)
            user_obj._role_names = set(kept.roles)
        return super().get_all_permissions(user_obj, obj)
