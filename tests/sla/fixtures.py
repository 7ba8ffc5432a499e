"""Fixtures for deadlines and escalation (made visible by tests/sla/conftest.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from enquiries.models import Category, SlaPolicy
from seed.reference import load_sla_policies
from tests.factories import UserFactory

CPH = ZoneInfo("Europe/Copenhagen")


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=CPH)


@pytest.fixture
def policies(taxonomy):
    """The default SLA policies of the reference data."""
    load_sla_policies()
    return SlaPolicy.objects.all()


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def lead(personas):
    """The support team's lead (the team_lead persona), with an e-mail address."""
    return personas["team_lead"]


@pytest.fixture
def queue_manager(support, personas):
    manager = UserFactory(username="queue-manager", role="manager")
    support.manager = manager
    support.save()
    return manager
