"""Who may open the dashboard and download its tables: role x route.

Managers, the secretariat and administrators read every queue; team leads
their own team's queues, without the panels their role cannot read
(pattern alerts, surveys); support agents work from their lists (403).
"""

import pytest

from accounts.context_processors import navigation

pytestmark = pytest.mark.django_db

ROUTES = {
    "overview": "/dashboards/",
    "summary.csv": "/dashboards/export/summary.csv",
    "topics.xlsx": "/dashboards/export/topics.xlsx",
    "backlog.csv": "/dashboards/export/backlog.csv",
    "volume.csv": "/dashboards/export/volume.csv",
    "compliance.xlsx": "/dashboards/export/compliance.xlsx",
    "actions-status.csv": "/dashboards/export/actions-status.csv",
    "actions-theme.csv": "/dashboards/export/actions-theme.csv",
    "actions-overdue.xlsx": "/dashboards/export/actions-overdue.xlsx",
    "kpis.csv": "/dashboards/export/kpis.csv",
    "surveys.csv": "/dashboards/export/surveys.csv",
    "ratings.xlsx": "/dashboards/export/ratings.xlsx",
}

# role -> expected status for every route above, in order.
EXPECTED = {
    "agent": [403] * 12,
    "team_lead": [200] * 10 + [404, 200],  # no survey results for team leads
    "secretariat": [200] * 12,
    "manager": [200] * 12,
    "admin": [200] * 12,
    "anonymous": [302] * 12,
}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("route", list(ROUTES))
def test_dashboard_routes_permissions(client_as, current, persona, route):
    expected = EXPECTED[persona][list(ROUTES).index(route)]

    response = client_as(persona).get(ROUTES[route], current.query())

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_team_lead_chooses_only_the_team_queues(client_as, current):
    response = client_as("team_lead").get("/dashboards/", current.query())

    assert [code for code, _label in response.context["form"].fields["queue"].choices] == [
        "",
        "support",
    ]
    assert [q.code for q in response.context["scope"].queues] == ["support"]


def test_team_lead_asking_for_another_queue_gets_the_form_back(client_as, current):
    response = client_as("team_lead").get("/dashboards/", current.query(queue="ministry"))

    assert response.status_code == 400
    assert "queue" in response.context["form"].errors
    assert "scope" not in response.context


def test_team_lead_export_of_another_queue_is_refused(client_as, current):
    response = client_as("team_lead").get(
        "/dashboards/export/topics.csv", current.query(queue="ministry")
    )

    assert response.status_code == 400
    assert b"queue" in response.content


def test_team_lead_sees_no_alert_or_survey_figures(client_as, current):
    response = client_as("team_lead").get("/dashboards/", current.query())

    labels = [str(row.values[0]) for row in response.context["tables"]["summary"].rows]
    assert "Open pattern alerts" not in labels
    assert "Satisfied in the latest survey" not in labels
    assert "Mean rating by citizens" in labels
    assert "surveys" not in response.context["tables"]


def test_an_unknown_table_is_not_found(client_as, current):
    response = client_as("manager").get("/dashboards/export/nothing.csv", current.query())

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("agent", False),
        ("team_lead", True),
        ("secretariat", True),
        ("manager", True),
        ("admin", True),
    ],
)
def test_navigation_shows_the_dashboard_to_those_who_may_read_it(rf, personas, persona, shown):
    request = rf.get("/")
    request.user = personas[persona]

    urls = [item["url"] for item in navigation(request)["nav_items"]]

    assert ("/dashboards/" in urls) is shown


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("agent", "/enquiries/"),
        ("team_lead", "/enquiries/"),
        ("secretariat", "/stakeholders/overview/"),
        ("manager", "/dashboards/"),
    ],
)
def test_home_sends_managers_to_the_dashboard(client_as, persona, home):
    response = client_as(persona).get("/")

    assert response.status_code == 302
    assert response["Location"] == home


def test_team_lead_without_a_team_sees_an_empty_dashboard(client_as, personas, current):
    lead = personas["team_lead"]
    lead.team = None
    lead.save()
    # Nor leading one: a lead's scope holds the teams they lead.
    lead.led_teams.update(lead=None)

    response = client_as("team_lead").get("/dashboards/", current.query())

    assert response.status_code == 200
    assert response.context["scope"].queues == []
    summary = response.context["tables"]["summary"]
    assert summary.rows[0].values[1] == 0
    export = client_as("team_lead").get("/dashboards/export/summary.csv", current.query())
    assert b"".join(export.streaming_content).count(b"\r\n") == len(summary.rows) + 1
