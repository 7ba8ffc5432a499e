"""The Django admin as a role x route table generated from two tables.

Every model registered with the admin, for every role: only staff get in,
and a staff administrator opens exactly the lists of the apps that
`accounts.roles.ADMINISTRATOR_APPS` gives them. A model newly registered
with the admin gets its row here without anyone writing it.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.roles import ADMINISTRATOR_APPS
from tests.permissions import LOGIN, ROLES, answer

# The admin sends staff-less users to its own login form; a visitor not
# logged in meets the site's login first (LoginRequiredMiddleware).
ADMIN_LOGIN = "admin login"


def expected(model, role: str) -> int | str:
    if role == "anonymous":
        return LOGIN
    if role != "admin":
        return ADMIN_LOGIN
    return 200 if model._meta.app_label in ADMINISTRATOR_APPS else 403


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_each_admin_list_answers_each_role_as_the_role_table_says(client_as, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    answers = {}
    for role in ROLES:
        response = client_as(role).get(url)
        login = response.status_code == 302 and response["Location"].startswith(
            reverse("admin:login")
        )
        answers[role] = ADMIN_LOGIN if login else answer(response)

    assert answers == {role: expected(model, role) for role in ROLES}


def test_the_table_covers_every_app_with_an_admin():
    # Guards the generation: were nothing registered, nothing would fail.
    labels = {model._meta.app_label for model in REGISTERED}

    assert {"enquiries", "actions", "stakeholders", "privacy"} <= labels
