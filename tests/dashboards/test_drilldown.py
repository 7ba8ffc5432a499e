"""Every figure of the dashboard opens a list that counts exactly it.

On the database `make setup` leaves (tests/demo/make_setup.py: the 2010
history at its smallest size and the recent demo desk), for the report's
period and the default last 30 days, on both bases, for all queues and for
the ministry's letters (whose further topics make the bases differ). The
figures and their links are read from the rendered dashboard's tables,
not listed here, so a new figure is checked from the day it is added.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.demo.make_setup import loaded_database

# The loaded database is built once per module: keep its tests on one
# xdist worker instead of building it on each.
pytestmark = pytest.mark.xdist_group("drilldown")

VIEWS = [
    {"period": period, "basis": basis, **({"queue": queue} if queue else {})}
    for period in ("report-2010", "30d")
    for basis in ("enquiry", "mention")
    for queue in (None, "ministry")
]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    yield from loaded_database(django_db_blocker)


@pytest.fixture
def manager(loaded, db):
    client = Client()
    client.force_login(User.objects.get(username="manager"))
    return client


def linked_figures(tables):
    """(table, row label, figure or None, url) of every link of the tables.

    A row's own link counts the column `Row.figure` names (None: it leads
    to the rows behind a time or a share, or to one record); a cell's link
    always counts its cell.
    """
    for slug, table in tables.items():
        for row in table.rows:
            pairs = [(row.figure, row.url)] if row.url else []
            pairs += list(row.links.items())
            for index, url in pairs:
                value = None if index is None else row.values[index]
                yield slug, str(row.values[0]), value, url


def list_count(response) -> int:
    """The count a list page shows: its paginator's (enquiries, actions, alerts)."""
    # An empty page is falsy: look the names up one by one.
    for name in ("page", "page_obj"):
        page = response.context.get(name)
        if page is not None:
            return page.paginator.count
    raise AssertionError(f"no list in {response.request['PATH_INFO']}")


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: "-".join(view.values()))
def test_every_figure_opens_a_list_of_exactly_that_many(manager, view):
    enquiry_list = reverse("enquiries:list")
    dashboard = manager.get(reverse("dashboards:overview"), view)
    assert dashboard.status_code == 200
    tables = dashboard.context["tables"]

    checked, counts, wrong = set(), {}, []
    for slug, label, figure, url in linked_figures(tables):
        if figure is None:
            # Into the enquiry list, only times and shares lead to context
            # rather than a count.
            if urlsplit(url).path == enquiry_list:
                assert slug == "compliance" or label.startswith(("Median", "Resolved within"))
            continue
        if url not in counts:
            page = manager.get(url)
            assert page.status_code == 200, url
            counts[url] = list_count(page)
        checked.add(slug)
        if counts[url] != figure:
            wrong.append((slug, label, figure, counts[url], url))

    assert not wrong
    assert {"summary", "topics", "volume", "actions_status", "actions_theme"} <= checked


def test_a_topic_figure_per_mention_opens_the_enquiries_raising_the_topic(manager):
    # The ministry's letters raise several topics: per mention a topic
    # counts more than per enquiry, and its link says "raised", not "topic".
    view = {"period": "report-2010", "queue": "ministry"}
    per_enquiry = manager.get(reverse("dashboards:overview"), {**view, "basis": "enquiry"})
    per_mention = manager.get(reverse("dashboards:overview"), {**view, "basis": "mention"})
    enquiry_rows = {row.values[0]: row for row in per_enquiry.context["tables"]["topics"].rows}
    mention_rows = {row.values[0]: row for row in per_mention.context["tables"]["topics"].rows}

    larger = [
        name
        for name, row in mention_rows.items()
        if row.values[2] > enquiry_rows.get(name, row).values[2]
    ]
    assert larger
    for name in larger:
        query = parse_qs(urlsplit(mention_rows[name].url).query)
        assert "mentions" in query and "topic" not in query
        count = manager.get(mention_rows[name].url).context["page"].paginator.count
        assert count == mention_rows[name].values[2]
