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


def linked_figures(tables, list_url):
    """(table, row label, figure or None, url) of every link into the list.

    The figure is None where the link leads to the rows behind a time or a
    share rather than to what a count counts.
    """
    for slug, table in tables.items():
        for row in table.rows:
            pairs = [(row.figure, row.url)] if row.url else []
            pairs += list(row.links.items())
            for index, url in pairs:
                if url and urlsplit(url).path == list_url:
                    value = None if index is None else row.values[index]
                    yield slug, str(row.values[0]), value, url


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: "-".join(view.values()))
def test_every_figure_opens_a_list_of_exactly_that_many(manager, view):
    list_url = reverse("enquiries:list")
    dashboard = manager.get(reverse("dashboards:overview"), view)
    assert dashboard.status_code == 200
    tables = dashboard.context["tables"]

    checked, counts, wrong = 0, {}, []
    for slug, label, figure, url in linked_figures(tables, list_url):
        if figure is None:
            # Only times and shares lead to context rather than a count.
            assert slug == "compliance" or label.startswith(("Median", "Resolved within")), label
            continue
        if url not in counts:
            page = manager.get(url)
            assert page.status_code == 200, url
            counts[url] = page.context["page"].paginator.count
        checked += 1
        if counts[url] != figure:
            wrong.append((slug, label, figure, counts[url], url))

    assert not wrong
    linked = {slug for slug, _label, figure, _url in linked_figures(tables, list_url) if figure}
    assert {"summary", "topics", "volume"} <= linked
    assert checked >= 10


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
