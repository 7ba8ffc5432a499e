"""Login lock-out (django-axes): per user name and per address (issue 8.4).

Real login form, real database handler; an administrator unlocks from the
admin by deleting the access attempts.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

PASSWORD = "secret-password"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LANGUAGE_CODE = "da"
    settings.AXES_FAILURE_LIMIT = 10
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 25


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_user_and_the_right_one_is_refused(personas):
    client = Client()

    answers = [log_in(client, "agent", f"wrong-{n}").status_code for n in range(30)]
    right = log_in(client, "agent", PASSWORD)

    # The form again for the first nine, then the lock-out page.
    assert answers[:9] == [200] * 9
    assert set(answers[9:]) == {429}
    assert right.status_code == 429
    assert not is_logged_in(client)
    page = right.content.decode()
    assert "Log ind er spærret" in page
    assert "Prøv igen om 30 minutter" in page
    assert right["Retry-After"] == "1800"


def test_a_locked_user_is_locked_from_every_address(personas):
    for _ in range(10):
        log_in(Client(REMOTE_ADDR="10.0.0.1"), "agent", "wrong")

    elsewhere = Client(REMOTE_ADDR="10.0.0.2")

    assert log_in(elsewhere, "agent", PASSWORD).status_code == 429
    assert not is_logged_in(elsewhere)


def test_other_users_at_the_same_address_still_log_in_below_the_address_limit(personas):
    client = Client()
    for _ in range(10):
        log_in(client, "agent", "wrong")

    colleague = Client()

    assert log_in(colleague, "team_lead", PASSWORD).status_code == 302
    assert is_logged_in(colleague)


def test_an_address_is_locked_after_its_own_higher_limit(personas):
    # A call centre shares one address: failures spread over many names.
    office = "10.1.1.1"
    for n in range(25):
        log_in(Client(REMOTE_ADDR=office), f"nobody-{n}", "wrong")

    same_office = Client(REMOTE_ADDR=office)
    other_office = Client(REMOTE_ADDR="10.2.2.2")

    assert log_in(same_office, "team_lead", PASSWORD).status_code == 429
    assert log_in(other_office, "team_lead", PASSWORD).status_code == 302


def test_an_administrator_unlocks_from_the_admin(personas, client_as):
    client = Client()
    for n in range(30):
        log_in(client, "agent", f"wrong-{n}")
    assert log_in(client, "agent", PASSWORD).status_code == 429
    attempts = list(AccessAttempt.objects.filter(username="agent").values_list("pk", flat=True))
    admin = client_as("admin")

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"), {"q": "agent"})
    unlocked = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert listing.status_code == 200
    assert unlocked.status_code == 302
    assert not AccessAttempt.objects.filter(username="agent").exists()
    assert log_in(client, "agent", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_resets_the_count(personas):
    client = Client()
    for _ in range(9):
        log_in(client, "agent", "wrong")
    assert log_in(client, "agent", PASSWORD).status_code == 302

    for _ in range(9):
        log_in(Client(), "agent", "wrong")

    assert log_in(Client(), "agent", PASSWORD).status_code == 302


def test_the_lockout_page_speaks_english_to_who_chose_it(personas):
    client = Client()
    client.cookies["django_language"] = "en"
    for _ in range(10):
        response = log_in(client, "agent", "wrong")

    assert response.status_code == 429
    assert "Login locked" in response.content.decode()


@pytest.mark.django_db
def test_only_administrators_may_unlock(client_as):
    url = reverse("admin:axes_accessattempt_changelist")

    assert client_as("admin").get(url).status_code == 200
    assert client_as("manager").get(url).status_code == 302
