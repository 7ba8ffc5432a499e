"""Fixtures for the API tests: an enquiry, a citizen, an integration user.

Send JSON with the test client: `client.post(url, {...},
content_type="application/json")`.
"""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from enquiries import services
from enquiries.models import Category
from tests.factories import CitizenFactory, UserFactory


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def ministry_category(taxonomy):
    return Category.objects.filter(topic__queue=taxonomy["ministry"]).first()


@pytest.fixture
def citizen(db):
    return CitizenFactory(name="Karen Jensen", phone="20 30 40 50", cpr="0101801234")


@pytest.fixture
def enquiry(support, category, citizen, personas):
    """A phone enquiry in the support queue, logged by the agent."""
    return services.register_enquiry(
        support,
        by=personas["agent"],
        subject="Har ikke fået den midlertidige adgangskode",
        category=category,
        citizen=citizen,
    )


@pytest.fixture
def integration_user(support_team):
    """A telephony system: a support-agent account used through a token."""
    return UserFactory(username="telephony", role="support_agent", team=support_team)


@pytest.fixture
def token_client(integration_user):
    token, _created = Token.objects.get_or_create(user=integration_user)
    return Client(headers={"Authorization": f"Token {token.key}"})
