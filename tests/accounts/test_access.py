"""A user's permissions and roles kept in the cache (accounts.access).

Kept between requests, they must still change at the next request after
anything changes what the user may do, from every side of every relation,
on every process (the stamp is in the user row, read on every request).
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models.signals import m2m_changed
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts import access
from accounts.models import User

pytestmark = pytest.mark.django_db

LIST = "/enquiries/"
VIEW = ("enquiries", "view_enquiry")
AUTH_TABLES = ("auth_permission", "auth_group", "accounts_user_user_permissions")


def _auth_queries(client, connection_url=LIST) -> list[str]:
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        client.get(connection_url)
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in AUTH_TABLES)]


def _view_permission() -> Permission:
    return Permission.objects.get(content_type__app_label=VIEW[0], codename=VIEW[1])


def test_the_second_request_reads_no_permission_or_role(client_as):
    client = client_as("agent")
    assert client.get(LIST).status_code == 200
    assert _auth_queries(client) == []


def test_a_failing_cache_only_means_reading_them(client_as, caplog):
    client = client_as("agent")
    nobody = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }
    with override_settings(CACHES={"default": nobody}):
        assert client.get(LIST).status_code == 200
        assert _auth_queries(client), "read from the database while the cache is away"
    assert "Cache read of accounts:access:" in caplog.text


def _remove_membership(user, group):
    user.groups.remove(group)


def _remove_member(user, group):
    group.user_set.remove(user)


def _clear_groups(user, group):
    user.groups.clear()


def _clear_members(user, group):
    group.user_set.clear()


def _group_loses_permission(user, group):
    group.permissions.remove(_view_permission())


def _permission_leaves_group(user, group):
    _view_permission().group_set.remove(group)


def _group_permissions_cleared(user, group):
    group.permissions.clear()


def _permission_groups_cleared(user, group):
    _view_permission().group_set.clear()


def _group_deleted(user, group):
    group.delete()


def _deactivated(user, group):
    user.is_active = False
    user.save()


def _deactivated_past_save(user, group):
    User.objects.filter(pk=user.pk).update(is_active=False)


def _stale_copy_saved(user, group):
    """A copy read before the change is saved after it: no old stamp comes back."""
    stale = User.objects.get(pk=user.pk)
    group.user_set.remove(user)
    stale.first_name = "Renamed"
    stale.save()


@pytest.mark.parametrize(
    "revoke",
    [
        _remove_membership,
        _remove_member,
        _clear_groups,
        _clear_members,
        _group_loses_permission,
        _permission_leaves_group,
        _group_permissions_cleared,
        _permission_groups_cleared,
        _group_deleted,
        _deactivated,
        _deactivated_past_save,
        _stale_copy_saved,
    ],
)
def test_a_revoked_permission_applies_at_the_next_request(client_as, personas, revoke):
    agent = personas["agent"]
    client = client_as("agent")
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200  # now kept
    revoke(agent, agent.groups.get())
    answer = client.get(LIST)
    # Refused, or signed out (a deactivated user's session ends).
    assert answer.status_code in (302, 403), revoke.__name__
    if answer.status_code == 302:
        assert "/accounts/login/" in answer["Location"]


def _own_permission_removed(user):
    user.user_permissions.remove(_view_permission())


def _permission_leaves_user(user):
    _view_permission().user_set.remove(user)


def _own_permissions_cleared(user):
    user.user_permissions.clear()


def _permission_users_cleared(user):
    _view_permission().user_set.clear()


@pytest.mark.parametrize(
    "revoke",
    [
        _own_permission_removed,
        _permission_leaves_user,
        _own_permissions_cleared,
        _permission_users_cleared,
    ],
)
def test_a_revoked_own_permission_applies_at_the_next_request(client, revoke):
    reader = User.objects.create_user("reader", password="secret-password")
    reader.user_permissions.add(_view_permission())
    client.force_login(reader)
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200  # now kept
    revoke(reader)
    assert client.get(LIST).status_code == 403, revoke.__name__


@pytest.mark.parametrize(
    "change",
    [_remove_membership, _remove_member, _clear_members],
    ids=["from the user", "from the group", "the group cleared"],
)
def test_a_change_renews_only_the_stamps_of_those_it_concerns(personas, change):
    stamps = dict(User.objects.values_list("pk", "access_stamp"))
    agent = personas["agent"]
    change(agent, agent.groups.get())

    now = User.objects.values_list("pk", "access_stamp")
    assert {pk for pk, stamp in now if stamps[pk] != stamp} == {agent.pk}


def test_a_saved_user_carries_the_stamp_it_was_given(personas):
    agent = personas["agent"]
    agent.first_name = "Ny"
    agent.save()

    assert agent.access_stamp == User.objects.get(pk=agent.pk).access_stamp


def test_a_loaded_fixture_keeps_the_stamps_it_holds(personas):
    import uuid

    from django.core import serializers

    agent = personas["agent"]
    (loaded,) = serializers.deserialize("json", serializers.serialize("json", [agent]))
    loaded.object.access_stamp = stamp = uuid.uuid4()
    loaded.save()  # raw, as loaddata saves

    assert User.objects.get(pk=agent.pk).access_stamp == stamp


def _own_permission(user):
    user.user_permissions.add(_view_permission())


def _permission_to_user(user):
    _view_permission().user_set.add(user)


def _joins_group(user):
    user.groups.add(Group.objects.get(name="support_agent"))


def _group_joins(user):
    Group.objects.get(name="support_agent").user_set.add(user)


def _made_superuser(user):
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])


def _group_gains_permission(user):
    group = Group.objects.create(name="readers")
    user.groups.add(group)
    assert not User.objects.get(pk=user.pk).has_perm(".".join(VIEW))  # kept, still without
    group.permissions.add(_view_permission())


@pytest.mark.parametrize(
    "grant",
    [
        _own_permission,
        _permission_to_user,
        _joins_group,
        _group_joins,
        _made_superuser,
        _group_gains_permission,
    ],
)
def test_a_granted_permission_applies_at_the_next_request(client, personas, grant):
    nobody = User.objects.create_user("nobody", password="secret-password")
    client.force_login(nobody)
    assert client.get(LIST).status_code == 403
    assert client.get(LIST).status_code == 403  # now kept
    grant(nobody)
    assert client.get(LIST).status_code == 200, grant.__name__


def test_a_renamed_group_is_the_users_new_role_at_once(personas):
    agent = User.objects.get(pk=personas["agent"].pk)
    assert agent.role_names == {"support_agent"}
    group = Group.objects.get(name="support_agent")
    group.name = "support_agent_old"
    group.save()
    assert User.objects.get(pk=agent.pk).role_names == {"support_agent_old"}


def test_a_new_permission_reaches_superusers_after_a_migration(personas):
    admin = User.objects.create_superuser("root", password="secret-password")
    before = User.objects.get(pk=admin.pk).get_all_permissions()
    from django.contrib.contenttypes.models import ContentType

    new = Permission.objects.bulk_create(  # as a migration creates them: no signal
        [
            Permission(
                codename="try_new", name="new", content_type=ContentType.objects.get_for_model(User)
            )
        ]
    )[0]
    assert "accounts.try_new" not in User.objects.get(pk=admin.pk).get_all_permissions()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    after = User.objects.get(pk=admin.pk).get_all_permissions()
    assert after == before | {"accounts.try_new"}
    new.delete()
    assert "accounts.try_new" not in User.objects.get(pk=admin.pk).get_all_permissions()


def test_every_relation_that_grants_renews_the_stamps():
    """A many-to-many between users, groups and permissions added later
    (a model of a new app) has to renew the stamps too, or its changes
    wait for the cache to expire."""
    user_model = apps.get_model("accounts", "User")
    grant_models = {user_model, Group, Permission}
    relations = {
        field.remote_field.through
        for model in grant_models
        for field in model._meta.get_fields(include_hidden=True)
        if isinstance(field, models.ManyToManyField) and field.related_model in grant_models
    }
    assert relations, "found none: the walk is broken"
    for through in relations:
        receivers = m2m_changed._live_receivers(through)
        names = {getattr(r, "__module__", "") for group in receivers for r in group}
        assert access.__name__ in names, through


def test_the_embedded_default_cache_keeps_a_floor_of_people():
    """The local-memory cache (no CACHE_URL) holds the permissions of the
    2010 floor and more, with room for the pages' entries beside them;
    Django's default of 300 entries threw a third away again and again.
    Read from a fresh process without CACHE_URL, as `make run` starts."""
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.core.cache.backends.locmem import LocMemCache

    unset = ("CACHE_URL", "REDIS_URL", "CACHE_MAX_ENTRIES")
    read = "from nemid_cases import settings as s; import json; print(json.dumps(s.CACHES))"
    found = subprocess.run(
        [sys.executable, "-c", read],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k not in unset},
        capture_output=True,
        text=True,
        check=True,
    )
    config = json.loads(found.stdout.strip().splitlines()[-1])["default"]
    assert config["BACKEND"].endswith("LocMemCache")
    cache = LocMemCache("floor", {"OPTIONS": config.get("OPTIONS", {})})
    for person in range(1_000):
        cache.set(f"accounts:access:{person}", {"permissions": ["enquiries.view_enquiry"]})

    assert all(cache.get(f"accounts:access:{person}") for person in range(1_000))
