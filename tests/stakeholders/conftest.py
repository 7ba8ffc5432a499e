"""Fixtures for the stakeholder tests: the report's world and a few rows."""

import pytest

from seed.report.stakeholders import load_stakeholder_data
from stakeholders.models import Organisation


@pytest.fixture
def world(taxonomy):
    """The report's organisations, meetings, recommendations and follow-ups."""
    load_stakeholder_data()


@pytest.fixture
def org(world):
    """Look up a report organisation by code: org("itst")."""
    return lambda code: Organisation.objects.get(code=code)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Attachments go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
