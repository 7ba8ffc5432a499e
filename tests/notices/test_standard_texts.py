from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import StandardText
from notices.services import add_standard_text_version

pytestmark = pytest.mark.django_db


def test_each_change_adds_the_next_version_and_keeps_the_earlier():
    first = add_standard_text_version(
        "login-down", text_da="NemID er nede.", text_en="NemID is down."
    )
    second = add_standard_text_version(
        "login-down", text_da="Log-in virker ikke.", text_en="Log-in does not work."
    )

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.text_da == "NemID er nede."


def test_a_saved_version_cannot_be_rewritten():
    text = add_standard_text_version("login-down", text_da="a", text_en="b")

    text.text_da = "rewritten"
    with pytest.raises(ValueError):
        text.save()
    text.refresh_from_db()
    assert text.text_da == "a"


def test_current_is_the_version_in_force_at_the_moment():
    now = timezone.now()
    old = add_standard_text_version(
        "login-down", text_da="gammel", text_en="old", valid_from=now - timedelta(days=10)
    )
    new = add_standard_text_version(
        "login-down", text_da="ny", text_en="new", valid_from=now - timedelta(days=1)
    )
    add_standard_text_version(
        "login-down", text_da="senere", text_en="later", valid_from=now + timedelta(days=1)
    )

    assert StandardText.current("login-down", at=now - timedelta(days=5)) == old
    assert StandardText.current("login-down", at=now) == new
    assert StandardText.current("login-down", at=now - timedelta(days=20)) is None
    assert StandardText.current("unknown", at=now) is None


def test_text_follows_the_language():
    text = add_standard_text_version("login-down", text_da="nede", text_en="down")

    assert (text.text("da"), text.text("en"), text.text("en-gb")) == ("nede", "down", "down")


def test_adding_in_the_admin_adds_a_version(admin_client):
    add_standard_text_version("login-down", text_da="a", text_en="b")

    response = admin_client.post(
        reverse("admin:notices_standardtext_add"),
        {
            "code": "login-down",
            "kind": "incident",
            "text_da": "c",
            "text_en": "d",
            "valid_from_0": "2026-12-07",
            "valid_from_1": "10:00:00",
        },
    )

    assert response.status_code == 302
    assert list(StandardText.objects.values_list("version", "text_da")) == [(2, "c"), (1, "a")]


def test_a_version_opens_read_only_in_the_admin(admin_client):
    text = add_standard_text_version("login-down", text_da="a", text_en="b")
    url = reverse("admin:notices_standardtext_change", args=[text.pk])

    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"code": "x", "kind": "other", "text_da": "z", "text_en": "z"})
    text.refresh_from_db()
    assert text.text_da == "a"
