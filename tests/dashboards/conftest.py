"""Fixtures for the dashboard tests: the hand-computed dataset (dataset.py)."""

import pytest
from django.utils import timezone

from tests.dashboards.dataset import FIXED_NOW, make_dataset


@pytest.fixture
def fixed(taxonomy):
    """The dataset around 20 September 2010, 12:00 in Copenhagen."""
    return make_dataset(FIXED_NOW)


@pytest.fixture
def current(taxonomy, personas):
    """The dataset around the real clock, for the pages."""
    return make_dataset(timezone.now())
