"""The home page sends each role to where its work starts."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.permissions import LOGIN, answer


@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("agent", "enquiries:list"),
        ("team_lead", "enquiries:list"),
        ("secretariat", "stakeholders:overview"),
        ("manager", "dashboards:overview"),
        ("admin", "enquiries:list"),
    ],
)
def test_each_role_starts_where_its_work_starts(client_as, persona, start):
    response = client_as(persona).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(start)
    assert client_as(persona).get(response["Location"]).status_code == 200


def test_a_user_without_a_role_gets_a_page_saying_so(client, db):
    client.force_login(UserFactory(username="nobody"))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Your account has no role yet" in response.content.decode()
    assert response.context["nav_items"] == []


def test_anonymous_visitors_go_to_the_login_form(client, db):
    assert answer(client.get(reverse("home"))) == LOGIN
