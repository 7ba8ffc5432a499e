"""Token and session authentication, and the create_api_token command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_command_creates_a_token_once_and_then_prints_it(integration_user):
    key, err = run_command("telephony")
    again, _err = run_command("telephony")

    assert key == again == Token.objects.get(user=integration_user).key
    assert "Created" in err
    assert len(key) == 40


def test_command_rotate_replaces_the_token(integration_user, enquiry):
    old, _err = run_command("telephony")

    new, _err = run_command("telephony", "--rotate")

    assert new != old
    assert Client(headers={"Authorization": f"Token {old}"}).get("/api/v1/").status_code == 401
    assert Client(headers={"Authorization": f"Token {new}"}).get("/api/v1/").status_code == 200


@pytest.mark.parametrize("username", ["nobody", "retired"])
def test_command_refuses_unknown_and_inactive_users(db, username):
    UserFactory(username="retired", is_active=False)

    with pytest.raises(CommandError):
        run_command(username)
    assert not Token.objects.exists()


def test_token_from_the_command_logs_an_integration_in(integration_user, enquiry):
    key, _err = run_command("telephony")
    client = Client(headers={"Authorization": f"Token {key}"})

    response = client.post(
        "/api/v1/enquiries/",
        {"queue": "support", "subject": "Opkald fra IVR"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["reference"].startswith("NID-")


@pytest.mark.parametrize(
    "header",
    ["Token not-a-real-token", "Token ", "Bearer abc", "Token a b", "Token \u00e6\u00f8\u00e5"],
)
def test_bad_token_is_a_401(db, header):
    response = Client(headers={"Authorization": header}).get("/api/v1/enquiries/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_a_deactivated_user_stops_working(integration_user, token_client):
    integration_user.is_active = False
    integration_user.save()

    assert token_client.get("/api/v1/enquiries/").status_code == 401


def test_token_requests_need_no_csrf_token(integration_user):
    key, _err = run_command("telephony")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {key}"})

    response = client.post(
        "/api/v1/citizens/", {"name": "Ole Hansen"}, content_type="application/json"
    )

    assert response.status_code == 201


def test_session_writes_need_the_csrf_token(personas, support):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["agent"])

    response = client.post(
        "/api/v1/enquiries/",
        {"queue": "support", "subject": "Hej"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
