"""Fixtures for the statistics tests."""

import pytest


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def ministry(taxonomy):
    return taxonomy["ministry"]
