"""Incident windows on the dashboard: bands on the volume chart and the
incidents table that is their text alternative."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dashboards.tables import Dashboard
from notices import cache_keys
from notices.models import Incident, IncidentLink
from tests.dashboards.dataset import at


def incident(title: str, start: datetime.datetime, end: datetime.datetime | None) -> Incident:
    return Incident.objects.create(
        title_da=title,
        title_en=f"{title} (en)",
        services=["login"],
        severity=Incident.Severity.OUTAGE,
        started_at=start,
        ended_at=end,
    )


def day(data, back: int) -> datetime.date:
    return data.today - datetime.timedelta(days=back)


@pytest.fixture
def incidents(fixed):
    """One incident over D-7 and D-6 with E4 linked, one ongoing since D-2,
    one that ended before the period."""
    over = incident("Log-in nede", at(day(fixed, 7), 10), at(day(fixed, 6), 12))
    IncidentLink.objects.create(incident=over, enquiry=fixed.enquiries["E4"])
    ongoing = incident("Signering ustabil", at(day(fixed, 2), 8), None)
    incident("Gammel fejl", at(day(fixed, 30), 8), at(day(fixed, 29), 8))
    return {"over": over, "ongoing": ongoing}


def test_bands_cover_the_days_of_each_incident_of_the_period(fixed, incidents, personas):
    dashboard = Dashboard(fixed.scope(queue=fixed.support), personas["manager"])
    days = [first for _start, first, _last in dashboard.buckets()]

    with translation.override("da"):
        bands = dashboard.incident_bands()

    assert bands == [
        {
            "label": "Log-in nede",
            "from": days.index(day(fixed, 7)),
            "to": days.index(day(fixed, 6)),
        },
        # Ongoing: to the last day of the period.
        {"label": "Signering ustabil", "from": days.index(day(fixed, 2)), "to": len(days) - 1},
    ]


def test_the_incidents_table_lists_title_services_days_and_linked_enquiries(
    fixed, incidents, personas
):
    dashboard = Dashboard(fixed.scope(queue=fixed.support), personas["manager"])

    with translation.override("en"):
        rows = [row.values for row in dashboard.incident_table().rows]

    assert rows == [
        ["Log-in nede (en)", "Log-in", day(fixed, 7), day(fixed, 6), 1],
        ["Signering ustabil (en)", "Log-in", day(fixed, 2), "ongoing", 0],
    ]


def test_a_link_in_another_queue_is_not_counted_for_one_queue(fixed, incidents, personas):
    dashboard = Dashboard(fixed.scope(queue=fixed.ministry), personas["manager"])

    assert [row.values[-1] for row in dashboard.incident_table().rows] == [0, 0]


def test_the_page_shades_the_chart_and_lists_the_incidents(client_as, current, personas):
    incident("Log-in nede", at(current.today - datetime.timedelta(days=3), 9), None)

    response = client_as("team_lead", language="da").get("/dashboards/", current.query())

    html = response.content.decode()
    assert response.context["charts"]["volume"]["bands"][0]["label"] == "Log-in nede"
    assert 'id="table-incidents"' in html
    assert "skraverede bånd markerer" in html


@pytest.mark.parametrize("persona", ["manager", "team_lead"])
def test_incidents_cost_the_same_queries_however_many(client_as, current, persona, settings):
    # The banner's cached copy lives 30 s; a slow machine can outlast it
    # between two requests, and its one query is not the page's.
    cache.set(cache_keys.BANNER, [], 3600)
    # Every request reads its figures: none are kept (dashboards.cache).
    settings.DASHBOARD_CACHE_SECONDS = 0
    client = client_as(persona)
    incident("Første", at(current.today - datetime.timedelta(days=3), 9), None)
    client.get("/dashboards/", current.query())
    with CaptureQueriesContext(connection) as one:
        client.get("/dashboards/", current.query())
    for n in range(10):
        more = incident(f"Nr. {n}", at(current.today - datetime.timedelta(days=n + 1), 9), None)
        IncidentLink.objects.create(incident=more, enquiry=current.enquiries["E4"])

    with CaptureQueriesContext(connection) as many:
        response = client.get("/dashboards/", current.query())

    assert len(many.captured_queries) == len(one.captured_queries)
    assert len(response.context["tables"]["incidents"].rows) == 11
