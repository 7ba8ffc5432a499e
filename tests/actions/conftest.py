"""Fixtures for the actions tests: a topic support staff see and one they don't."""

import pytest

from enquiries.models import Topic
from tests.factories import ActionFactory, OrganisationFactory, ThemeFactory


@pytest.fixture
def support_topic(taxonomy):
    """A topic on the support queue, which the agent's team works."""
    return Topic.objects.get(queue__code="support", code="aktivering")


@pytest.fixture
def ministry_topic(taxonomy):
    """A topic on the ministry's queue, which no persona's team works."""
    return Topic.objects.get(queue__code="ministry", code="sikkerhed")


@pytest.fixture
def danid(db):
    return OrganisationFactory(code="danid", name="DanID", kind="operator")


@pytest.fixture
def theme(db):
    return ThemeFactory(code="support", name_da="Support", name_en="Support")


@pytest.fixture
def support_action(personas, support_topic, danid, theme):
    """An action that concerns the support queue: every role may read it."""
    return ActionFactory(
        title="Flere medarbejdere i supporten", owner=danid, theme=theme, topics=[support_topic]
    )


@pytest.fixture
def ministry_action(personas, ministry_topic, danid, theme):
    """An action on the ministry's topics: agents and team leads may not read it."""
    return ActionFactory(
        title="Sikkerhedsvejledning", owner=danid, theme=theme, topics=[ministry_topic]
    )
