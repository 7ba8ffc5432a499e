"""Queues, topics and categories: read-only, filtered by queue, topic and activity."""

import pytest

from enquiries.models import Category, Topic


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()}


def test_categories_of_a_queue_carry_topic_and_queue(client_as, support):
    response = client_as("manager").get("/api/v1/categories/", {"queue": "support"})

    rows = response.json()
    assert len(rows) == Category.objects.filter(topic__queue=support).count() == 46
    first = rows[0]
    assert first["queue"] == "support"
    assert first["topic_name"] == Topic.objects.get(pk=first["topic"]).name
    assert first["label"] == f"{first['topic_name']} › {first['name']}"


def test_categories_filter_by_topic(client_as, support):
    topic = Topic.objects.get(queue=support, code="noeglekort")

    got = codes(client_as("agent").get("/api/v1/categories/", {"topic": topic.pk}))

    assert got == set(topic.categories.values_list("code", flat=True))


def test_categories_filter_by_activity_counts_a_retired_topic(client_as, support):
    retired = Category.objects.get(topic__queue=support, code="udloebet")
    retired.is_active = False
    retired.save()
    topic = Topic.objects.get(queue=support, code="noeglekort")
    topic.is_active = False
    topic.save()
    client = client_as("agent")

    active = codes(client.get("/api/v1/categories/", {"is_active": "true"}))
    inactive = codes(client.get("/api/v1/categories/", {"is_active": "false"}))

    expected_inactive = {"udloebet", *topic.categories.values_list("code", flat=True)}
    assert inactive == expected_inactive
    assert not active & inactive


def test_categories_search_by_part_of_a_name(client_as, support):
    got = codes(client_as("agent").get("/api/v1/categories/", {"q": "udløbet"}))

    assert "udloebet" in got


def test_topics_filter_by_queue_and_activity(client_as, taxonomy):
    Topic.objects.filter(queue=taxonomy["ministry"], code="sikkerhed").update(is_active=False)
    client = client_as("admin")

    ministry = codes(client.get("/api/v1/topics/", {"queue": "ministry"}))
    inactive = codes(client.get("/api/v1/topics/", {"queue": "ministry", "is_active": "false"}))

    assert ministry == set(
        Topic.objects.filter(queue=taxonomy["ministry"]).values_list("code", flat=True)
    )
    assert inactive == {"sikkerhed"}


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/categories/", {"queue": "ministry"}, "queue"),
        ("/api/v1/categories/", {"topic": "abc"}, "topic"),
        ("/api/v1/topics/", {"queue": "nowhere"}, "queue"),
        ("/api/v1/categories/", {"q": "x" * 101}, "q"),
        ("/api/v1/categories/", {"is_active": "perhaps"}, "is_active"),
        ("/api/v1/topics/", {"is_active": "yes"}, "is_active"),
    ],
)
def test_invalid_taxonomy_filter_is_a_400_naming_it(client_as, taxonomy, path, query, field):
    # The agent works the support queue only: "ministry" is not a choice.
    response = client_as("agent").get(path, query)

    assert response.status_code == 400
    assert field in response.json()


def test_queues_are_read_only(client_as, support):
    client = client_as("admin")

    assert client.post("/api/v1/queues/", {}, "application/json").status_code == 405
    assert client.delete(f"/api/v1/queues/{support.pk}/").status_code == 405
    assert client.get(f"/api/v1/queues/{support.pk}/").json()["code"] == "support"
