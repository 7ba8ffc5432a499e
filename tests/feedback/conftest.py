"""Fixtures for the satisfaction tests: resolved enquiries and a private broker."""

import pytest

from enquiries import services
from enquiries.models import Category, Enquiry
from tests.factories import CitizenFactory
from tests.integration.fixtures import broker  # noqa: F401


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def citizen(db):
    return CitizenFactory(name="Karen Jensen", email="karen@example.invalid")


def resolve(queue, agent, *, citizen=None, category=None, language="da") -> Enquiry:
    enquiry = services.register_enquiry(
        queue,
        by=agent,
        subject="Har ikke fået den midlertidige adgangskode",
        category=category,
        citizen=citizen,
        language=language,
    )
    return services.transition_enquiry(
        enquiry, to=Enquiry.Status.RESOLVED, by=agent, resolution="Ny kode bestilt"
    )


@pytest.fixture
def resolved(support, category, citizen, personas):
    """A support enquiry resolved by the agent; the citizen has an e-mail address."""
    return resolve(support, personas["agent"], citizen=citizen, category=category)


@pytest.fixture
def open_enquiry(support, category, citizen, personas):
    return services.register_enquiry(
        support, by=personas["agent"], subject="Stadig åben", category=category, citizen=citizen
    )
