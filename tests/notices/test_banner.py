"""Agents see the current incident at the top of every page and in the
log-enquiry form; the banner costs at most one query, then the cache."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices import services
from notices.context_processors import incident_banner

pytestmark = pytest.mark.django_db


def test_an_agent_sees_the_ongoing_incident_on_the_enquiry_list(client_as, publish):
    publish()

    response = client_as("agent", language="da").get(reverse("enquiries:list"))

    content = response.content.decode()
    assert "Igangværende driftsforstyrrelse:" in content
    assert "Log-in er nede" in content
    assert "Log-in, Log-in i netbank" in content


def test_the_log_enquiry_form_shows_the_incident(client_as, publish):
    publish()

    response = client_as("agent").get(reverse("enquiries:create"))

    assert 'id="enquiry-incidents"' in response.content.decode()
    assert "Log-in is down" in response.content.decode()


def test_no_banner_without_an_incident_or_once_resolved(
    client_as, publish, django_capture_on_commit_callbacks
):
    client = client_as("agent")
    assert "incident-banner" not in client.get(reverse("enquiries:list")).content.decode()

    # The cached banner goes when a change commits.
    with django_capture_on_commit_callbacks(execute=True):
        incident = publish()
    assert "incident-banner" in client.get(reverse("enquiries:list")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_incident(incident, text_code="fixed", by=None)
    assert "incident-banner" not in client.get(reverse("enquiries:list")).content.decode()


def test_the_banner_is_read_once_then_from_the_cache(personas, publish):
    publish()
    request = RequestFactory().get("/")
    request.user = personas["agent"]
    request.user.has_perm("notices.view_incident")  # loads the permission cache

    with CaptureQueriesContext(connection) as first:
        incident_banner(request)
    with CaptureQueriesContext(connection) as second:
        context = incident_banner(request)

    assert len(first) == 1
    assert len(second) == 0
    assert context["current_incidents"][0]["title_en"] == "Log-in is down"


def test_a_visitor_without_the_permission_gets_no_banner(publish, rf):
    from django.contrib.auth.models import AnonymousUser

    publish()
    request = rf.get("/")
    request.user = AnonymousUser()

    assert incident_banner(request) == {}
