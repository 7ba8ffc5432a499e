"""The main navigation: each role sees the entries for its work, in workflow order."""

import re

import pytest
from django.urls import reverse

from accounts.context_processors import NAVIGATION

# fmt: off
NAV = {
    "agent":       ["Enquiries", "Log enquiry", "Citizens", "Recommendations", "Actions"],
    "team_lead":   ["Dashboard", "Enquiries", "Log enquiry", "Citizens", "Deadlines", "Workload",
                    "Recommendations", "Actions"],
    "secretariat": ["Dashboard", "Enquiries", "Pattern alerts", "Meetings", "Recommendations",
                    "Waiting on others", "Actions", "Satisfaction", "Report",
                    "Data requests"],
    "manager":     ["Dashboard", "Enquiries", "Deadlines", "Pattern alerts", "Meetings",
                    "Recommendations", "Waiting on others", "Actions", "Satisfaction", "Report",
                    "Approvals"],
    "admin":       ["Dashboard", "Enquiries", "Log enquiry", "Citizens", "Deadlines", "Workload",
                    "Pattern alerts", "Meetings", "Recommendations", "Waiting on others",
                    "Actions", "Satisfaction", "Report", "Data requests", "Approvals"],
}
# fmt: on


@pytest.mark.parametrize(("persona", "labels"), NAV.items())
def test_each_role_sees_its_entries_in_workflow_order(client_as, persona, labels):
    response = client_as(persona).get(reverse("actions:list"))

    assert [str(item["label"]) for item in response.context["nav_items"]] == labels


@pytest.mark.parametrize("persona", NAV)
def test_every_entry_opens_a_page_titled_as_the_entry(client_as, persona):
    client = client_as(persona)

    for item in client.get(reverse("actions:list")).context["nav_items"]:
        response = client.get(item["url"])
        assert response.status_code == 200, item["label"]
        title = re.search(r"<title>(.*?) ·", response.content.decode()).group(1)
        assert title == str(item["label"])


def test_labels_are_distinct():
    labels = [str(label) for label, _url, _perm in NAVIGATION]

    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/enquiries/", "Enquiries"),
        ("/enquiries/breaches/", "Deadlines"),
        ("/enquiries/new/", "Log enquiry"),
        ("/actions/", "Actions"),
        ("/actions/follow-up/", "Actions"),
        ("/stakeholders/overview/", "Waiting on others"),
    ],
)
def test_exactly_one_entry_marks_the_current_page(client_as, path, current):
    response = client_as("admin").get(path)

    marked = [str(item["label"]) for item in response.context["nav_items"] if item["current"]]
    assert marked == [current]


def test_anonymous_visitors_get_no_navigation(client):
    response = client.get(reverse("login"))

    assert response.context["nav_items"] == []
