"""Fixtures for the report tests: the reduced autumn of 2010 and the report's world."""

import pytest

from seed.report.actions import load_action_data
from seed.report.stakeholders import load_stakeholder_data
from seed.report.surveys import load_survey_results
from tests.reports.data import write_report_autumn


@pytest.fixture
def autumn(taxonomy):
    """2,160 support enquiries, 126 ministry letters and 14 press items (bulk)."""
    return write_report_autumn(taxonomy)


@pytest.fixture
def report_world(db):
    """Organisations, meetings, recommendations, actions and surveys of the report."""
    load_stakeholder_data()
    load_action_data()
    load_survey_results()
