"""The list's folded filter panel is rendered once per set of options and kept.

Kept in the configured cache under a key made of what it shows (the
options of the queues the reader sees, the language, the sort order), so
the same page never shows someone else's queues, a stale name or the
wrong language; a set or wrong filter is rendered with the page.
"""

import re

import pytest
from django.template.loader import render_to_string

from enquiries.models import Queue, Topic
from enquiries.views import _list_context

LIST = "/enquiries/"


def panel(response) -> str:
    html = response.content.decode()
    return html[html.index('<div class="filters">') : html.index('<div class="actions-row">')]


def options(response, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', panel(response), re.S).group()
    return re.findall(r">([^<]+)</option>", select)


@pytest.mark.django_db
def test_the_kept_fields_are_those_the_page_renders_itself(client_as):
    client = client_as("agent")
    client.get(LIST)  # keeps them

    kept = client.get(LIST)
    context = _list_context(kept.wsgi_request) | {"filter_fields": ""}
    rendered = render_to_string("enquiries/enquiry_list.html", context, request=kept.wsgi_request)

    assert kept.context["filter_fields"]
    assert (
        panel(kept)
        == rendered[
            rendered.index('<div class="filters">') : rendered.index('<div class="actions-row">')
        ]
    )


@pytest.mark.django_db
def test_a_renamed_topic_shows_at_once(client_as, taxonomy):
    client = client_as("agent")
    topic = Topic.objects.filter(queue=taxonomy["support"]).order_by("pk").first()
    before = options(client.get(LIST), "topic")

    topic.name_en = "Renamed for the test"
    topic.save(update_fields=["name_en"])
    after = options(client.get(LIST), "topic")

    assert "Renamed for the test" not in before
    assert "Renamed for the test" in after


@pytest.mark.django_db
def test_each_reader_sees_the_queues_of_their_own_scope(client_as, taxonomy):
    agents = options(client_as("agent").get(LIST), "queue")
    managers = options(client_as("manager").get(LIST), "queue")

    assert len(agents) == 2  # "Any" and the support queue
    assert len(managers) == 1 + len(taxonomy)


@pytest.mark.django_db
def test_the_language_and_the_sort_order_are_their_own(client_as):
    # Names in Danish only: the options alone are the same in both languages.
    Topic.objects.update(name_en="")
    Queue.objects.update(name_en="")
    client = client_as("agent")
    english = panel(client.get(LIST))
    by_priority = panel(client.get(LIST, {"ordering": "-priority"}))
    danish = panel(client_as("agent", language="da").get(LIST))

    assert 'value="-priority" selected' in by_priority
    assert 'value="-priority" selected' not in english
    assert "Topic raised" in english and "Topic raised" not in danish


@pytest.mark.django_db
def test_a_set_filter_is_rendered_with_the_page_and_keeps_its_value(client_as):
    response = client_as("agent").get(LIST, {"channel": "email"})

    assert response.context["filter_fields"] == ""
    assert re.search(r'<option value="email" selected>', panel(response))
