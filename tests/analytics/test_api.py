import datetime

import pytest

from analytics import services
from tests.analytics.helpers import at, category_of, make_enquiries

URL = "/api/v1/topic-shares/"
NOV_15 = datetime.date(2010, 11, 15)


@pytest.fixture
def shares(support, ministry):
    make_enquiries(
        support,
        received_at=at(NOV_15),
        category=category_of(support, "midlertidig-adgangskode", "udloebet"),
        n=3,
    )
    make_enquiries(
        support, received_at=at(NOV_15), category=category_of(support, "aktivering", "fejl")
    )
    make_enquiries(ministry, received_at=at(NOV_15), category=category_of(ministry, "banktvang"))
    services.rebuild_topic_shares(NOV_15, NOV_15)


@pytest.mark.parametrize(
    ("persona", "queue", "expected"),
    [
        ("agent", "support", 200),
        ("team_lead", "support", 200),
        ("secretariat", "support", 200),
        ("manager", "support", 200),
        ("admin", "support", 200),
        ("anonymous", "support", 401),
        # Support staff read only their own team's queues.
        ("agent", "ministry", 400),
        ("team_lead", "ministry", 400),
        ("secretariat", "ministry", 200),
        ("manager", "ministry", 200),
        ("admin", "ministry", 200),
        ("anonymous", "ministry", 401),
    ],
)
def test_topic_shares_permissions(client_as, shares, persona, queue, expected):
    response = client_as(persona).get(
        URL, {"queue": queue, "start": "2010-11-15", "end": "2010-11-15"}
    )

    assert response.status_code == expected
    if expected == 400:
        assert "queue" in response.json()


def test_a_user_without_a_role_may_not_read_shares(client, shares, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x-secret-1"))

    assert client.get(URL, {"queue": "support"}).status_code == 403


def test_week_granularity_returns_every_week_with_counts_and_shares(client_as, shares):
    response = client_as("manager").get(
        URL,
        {"queue": "support", "granularity": "week", "start": "2010-11-10", "end": "2010-11-21"},
    )

    body = response.json()
    assert response.status_code == 200
    assert body["queue"] == {"code": "support", "name": "NemID support (DanID)"}
    assert [b["label"] for b in body["buckets"]] == ["2010-W45", "2010-W46"]
    empty, week = body["buckets"]
    assert empty == {
        "start": "2010-11-08",
        "end": "2010-11-14",
        "label": "2010-W45",
        "total": 0,
        "rows": [],
    }
    assert week["total"] == 4
    assert [(r["topic"]["code"], r["category"], r["count"], r["share"]) for r in week["rows"]] == [
        ("midlertidig-adgangskode", None, 3, 75.0),
        ("aktivering", None, 1, 25.0),
    ]


def test_period_granularity_at_category_level(client_as, shares):
    response = client_as("agent").get(
        URL,
        {
            "queue": "support",
            "granularity": "period",
            "start": "2010-11-01",
            "end": "2010-11-30",
            "basis": "mention",
            "level": "category",
        },
    )

    (bucket,) = response.json()["buckets"]
    assert bucket["label"] == "2010-11-01/2010-11-30"
    assert [(r["category"]["code"], r["share"]) for r in bucket["rows"]] == [
        ("udloebet", 75.0),
        ("fejl", 25.0),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "queue"),
        ({"queue": "nope"}, "queue"),
        ({"queue": "support", "granularity": "year"}, "granularity"),
        ({"queue": "support", "basis": "letters"}, "basis"),
        ({"queue": "support", "level": "theme"}, "level"),
        ({"queue": "support", "start": "2010-13-01"}, "start"),
        ({"queue": "support", "end": "15-11-2010"}, "end"),
        ({"queue": "support", "start": "2010-11-15", "end": "2010-11-01"}, "end"),
        (
            {"queue": "support", "granularity": "day", "start": "2009-01-01", "end": "2010-11-15"},
            "start",
        ),
        (
            {
                "queue": "support",
                "granularity": "period",
                "start": "1990-01-01",
                "end": "2010-11-15",
            },
            "start",
        ),
        ({"queue": "x" * 500}, "queue"),
    ],
)
def test_bad_parameters_give_a_400_naming_the_parameter(client_as, shares, params, field):
    response = client_as("manager").get(URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_a_nul_byte_in_a_parameter_is_refused(client_as, shares):
    response = client_as("manager").get(URL, {"queue": "sup\x00port"})

    assert response.status_code == 400


@pytest.mark.parametrize("days", [1, 25])
def test_topic_shares_take_a_constant_number_of_queries(
    client_as, support, days, django_assert_num_queries
):
    category = category_of(support, "aktivering", "fejl")
    for i in range(days):
        day = NOV_15 + datetime.timedelta(days=i)
        make_enquiries(support, received_at=at(day), category=category)
    services.rebuild_topic_shares(NOV_15, NOV_15 + datetime.timedelta(days=30))
    client = client_as("manager")
    params = {"queue": "support", "granularity": "day", "start": "2010-11-15", "end": "2010-12-15"}

    # session, user, user and group permissions, groups (role check),
    # queue, topics, categories, snapshot rows.
    with django_assert_num_queries(9):
        response = client.get(URL, params)

    assert sum(bucket["total"] for bucket in response.json()["buckets"]) == days


def test_the_schema_documents_topic_shares_with_its_errors(client_as):
    response = client_as("admin").get("/api/schema/", {"format": "json"})

    operation = response.json()["paths"]["/api/v1/topic-shares/"]["get"]
    assert {"200", "400", "403"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {
        "queue",
        "granularity",
        "start",
        "end",
        "basis",
        "level",
    }
