import pytest
from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS, Role


@pytest.mark.django_db
def test_every_role_group_exists_with_exactly_its_permissions():
    for role in Role:
        group = Group.objects.get(name=role.value)
        granted = {
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        }
        if role == Role.ADMINISTRATOR:
            assert "enquiries.reveal_cpr" in granted
            assert "accounts.change_user" in granted
            assert "auth.change_group" in granted
        else:
            assert granted == set(ROLE_PERMISSIONS[role])
