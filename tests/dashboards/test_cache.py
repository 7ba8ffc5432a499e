"""The dashboard's figures in the cache: read once per scope and data version.

The cache is the configured one: local memory in the SQLite run, a Redis
database of the worker's own in the PostgreSQL run (tests/conftest.py).
"""

import datetime

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.services import rebuild_topic_shares
from enquiries.models import Enquiry, Topic
from tests.browser.live import free_port
from tests.dashboards.dataset import make_enquiry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/dashboards/"


def _shown(response) -> dict:
    """Every table's rows as the page shows them (text, numbers, links)."""
    assert response.status_code == 200
    return {
        slug: (
            str(table.caption),
            [str(header) for header in table.headers],
            [(row.values, row.url, row.links) for row in table.rows],
            table.total.values if table.total else None,
        )
        for slug, table in response.context["tables"].items()
    }


def _figure(response, label: str):
    summary = response.context["tables"]["summary"]
    return next(row.values[1] for row in summary.rows if str(row.values[0]) == label)


def _manager(username: str, language: str = "") -> Client:
    """Another manager, who has never opened the dashboard."""
    user = UserFactory(username=username, role="manager", language=language)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def uncached(settings):
    """Pages read every figure from the database while this is on."""

    def turn(on: bool) -> None:
        settings.DASHBOARD_CACHE_SECONDS = 0 if on else 900

    return turn


def test_a_reload_reads_no_table_query(client_as, current, django_assert_num_queries):
    client = client_as("manager")
    with CaptureQueriesContext(connection) as built:
        first = client.get(URL, current.query())
    tag = first.headers["ETag"]
    with CaptureQueriesContext(connection) as validated:
        assert client.get(URL, current.query(), headers={"If-None-Match": tag}).status_code == 304
    assert len(validated) < len(built)

    # The queries of a 304 (the session, the scope and the validator's one
    # aggregate), and none of the tables'.
    with django_assert_num_queries(len(validated)):
        again = client.get(URL, current.query())

    assert _shown(again) == _shown(first)
    assert again.headers["ETag"] == tag


def test_another_manager_of_the_same_scope_reads_the_kept_figures(
    client_as, current, django_assert_num_queries
):
    # Made first: a new user moves the validator (users are in its sources).
    other, third = _manager("manager2"), _manager("manager3")
    first = client_as("manager").get(URL, current.query())
    tag = other.get(URL, current.query()).headers["ETag"]
    with CaptureQueriesContext(connection) as validated:
        assert other.get(URL, current.query(), headers={"If-None-Match": tag}).status_code == 304
    revalidated = len(validated)  # read now: the next request empties Django's log

    # manager3's first dashboard (the permissions kept by a refused one
    # first, accounts.access): as many queries as manager2's 304.
    assert third.get(URL, {"period": "nonsense"}).status_code == 400
    with django_assert_num_queries(revalidated):
        page = third.get(URL, current.query())

    assert _shown(page) == _shown(first)


def test_a_changed_enquiry_shows_on_the_next_get(client_as, current):
    client = client_as("manager")
    backlog = _figure(client.get(URL, current.query()), "Open backlog")
    enquiry = Enquiry.objects.open().get(pk=current.enquiries["E5"].pk)
    enquiry.status = Enquiry.Status.RESOLVED
    enquiry.resolved_at = timezone.now()
    enquiry.save()

    assert _figure(client.get(URL, current.query()), "Open backlog") == backlog - 1


def test_a_recompute_of_the_summaries_shows_on_the_next_get(client_as, current, taxonomy):
    client = client_as("manager")
    received = _figure(client.get(URL, current.query()), "Enquiries received")
    # Resolved, so the live backlog does not move: only the summaries will.
    when = timezone.now() - datetime.timedelta(days=3)
    make_enquiry(taxonomy["support"], when, status=Enquiry.Status.RESOLVED, resolved_at=when)
    assert _figure(client.get(URL, current.query()), "Enquiries received") == received

    rebuild_topic_shares(current.start, current.end, now=timezone.now())

    assert _figure(client.get(URL, current.query()), "Enquiries received") == received + 1


def test_an_edit_of_a_topic_shows_on_the_next_get(client_as, current, taxonomy):
    """Topics have no version or updated_at: on PostgreSQL their xmin moves."""
    client = client_as("manager")
    client.get(URL, current.query())
    topic = Topic.objects.get(pk=current.topics["activation"].pk)
    topic.name_da = topic.name_en = "Omdøbt emne"
    topic.save()

    topics = client.get(URL, current.query()).context["tables"]["topics"]

    if connection.vendor != "postgresql":
        pytest.xfail("SQLite has no xmin: an edit of such a row is not seen")
    assert any("Omdøbt emne" in str(row.values[0]) for row in topics.rows)


def test_a_renamed_action_owner_shows_on_the_next_get(client_as, current):
    client = client_as("manager")
    client.get(URL, current.query())
    owner = current.actions["A2"].owner
    owner.name = "DanID A/S"
    owner.save()

    overdue = client.get(URL, current.query()).context["tables"]["actions_overdue"]

    assert {row.values[1] for row in overdue.rows} == {"DanID A/S"}


def test_a_renamed_theme_shows_on_the_next_get(client_as, current):
    client = client_as("manager")
    client.get(URL, current.query())
    theme = current.actions["A2"].theme
    theme.name_da = theme.name_en = "Omdøbt tema"
    theme.save()

    themes = client.get(URL, current.query()).context["tables"]["actions_theme"]

    if connection.vendor != "postgresql":
        pytest.xfail("SQLite has no xmin: an edit of such a row is not seen")
    assert "Omdøbt tema" in {row.values[0] for row in themes.rows}


@pytest.mark.parametrize(("first", "second"), [("manager", "team_lead"), ("team_lead", "manager")])
def test_a_team_lead_and_a_manager_never_see_each_others_figures(
    client_as, current, uncached, first, second
):
    uncached(True)
    alone = _shown(client_as(second).get(URL, current.query()))
    uncached(False)

    client_as(first).get(URL, current.query())
    after = _shown(client_as(second).get(URL, current.query()))

    assert after == alone


def test_the_scopes_of_a_team_lead_and_a_manager_differ(client_as, current):
    """What the test above relies on: the two pages are not the same."""
    lead = client_as("team_lead").get(URL, current.query())
    manager = client_as("manager").get(URL, current.query())

    assert _figure(lead, "Enquiries received") < _figure(manager, "Enquiries received")


def test_readers_of_another_language_get_their_own_text(client_as, current, uncached):
    english = _manager("english", language="en")
    uncached(True)
    alone = _shown(english.get(URL, current.query()))
    uncached(False)

    client_as("manager", language="da").get(URL, current.query())
    shown = english.get(URL, current.query())

    assert _shown(shown) == alone
    assert str(shown.context["tables"]["summary"].caption) == "Headline figures"


def test_the_dashboard_is_served_with_the_cache_down(client_as, current):
    client = client_as("manager")
    expected = _shown(client.get(URL, current.query()))
    # A Redis nobody listens on: every read and write of the cache fails.
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }

    with override_settings(CACHES=down):
        page = client.get(URL, current.query())

    assert _shown(page) == expected
