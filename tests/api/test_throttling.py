"""API throttles (issue 8.4): 429 with Retry-After, per user, per address.

Against the configured cache backend (local memory by default, Redis when
CACHE_URL is set, as in CI's PostgreSQL run), with a fresh key prefix per
test so runs sharing a Redis never count each other's requests.
"""

import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.browser.live import free_port

LIST = "/api/v1/queues/"


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"throttle-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.API_THROTTLE_RATES = rates

    return set_rates


def test_the_cache_is_the_configured_one(settings):
    backend = caches["default"]
    backend.set("probe", 1)

    assert backend.get("probe") == 1
    assert (
        f"{type(backend).__module__}.{type(backend).__name__}"
        == (settings.CACHES["default"]["BACKEND"])
    )


def test_a_user_over_the_rate_gets_429_with_retry_after(client_as, taxonomy, rates):
    rates(user="5/min")
    client = client_as("agent")

    answers = [client.get(LIST) for _ in range(7)]

    assert [r.status_code for r in answers] == [200] * 5 + [429] * 2
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert "detail" in answers[-1].json()


def test_each_user_has_a_count_of_their_own(client_as, taxonomy, rates):
    rates(user="3/min")
    agent, lead = client_as("agent"), client_as("team_lead")
    for _ in range(3):
        agent.get(LIST)

    assert agent.get(LIST).status_code == 429
    assert lead.get(LIST).status_code == 200


def test_a_burst_is_throttled_within_the_second(client_as, taxonomy, rates):
    rates(user_burst="10/s", user="1000/min")
    client = client_as("agent")

    statuses = [client.get(LIST).status_code for _ in range(15)]

    assert statuses.count(429) >= 1
    assert statuses[:10] == [200] * 10


def test_writes_have_their_own_lower_rate(client_as, taxonomy, rates):
    rates(writes="2/min", user="100/min")
    client = client_as("agent")
    body = {"queue": "support", "subject": "Har ikke fået nøglekortet"}

    writes = [
        client.post("/api/v1/enquiries/", body, content_type="application/json").status_code
        for _ in range(3)
    ]

    assert writes == [201, 201, 429]
    assert client.get(LIST).status_code == 200


def test_anonymous_requests_are_throttled_per_address(db, rates):
    rates(anon="3/min")
    here, there = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")

    statuses = [here.get(LIST).status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    assert there.get(LIST).status_code == 401


def test_bad_tokens_are_throttled_per_address(personas, taxonomy, rates):
    rates(bad_token="5/min")
    client = Client(REMOTE_ADDR="10.0.0.3")

    answers = [
        client.get(LIST, headers={"authorization": f"Token {'0' * 39}{n % 10}"}) for n in range(8)
    ]
    good = Token.objects.create(user=personas["agent"])

    assert [r.status_code for r in answers] == [401] * 5 + [429] * 3
    assert int(answers[-1]["Retry-After"]) > 0
    # A valid token from the same address still works.
    assert client.get(LIST, headers={"authorization": f"Token {good.key}"}).status_code == 200


def test_a_scope_set_to_none_is_off(client_as, taxonomy, rates):
    rates(user="none", user_burst="none")
    client = client_as("agent")

    assert {client.get(LIST).status_code for _ in range(20)} == {200}


def test_the_production_defaults_let_a_busy_agent_work(client_as, taxonomy, settings):
    from nemid_cases import settings as project

    settings.API_THROTTLE_RATES = project.API_THROTTLE_RATES
    client = client_as("agent")

    # A type-ahead at full typing speed: 20 requests, within the burst.
    assert {client.get(LIST).status_code for _ in range(20)} == {200}


def test_with_the_cache_down_the_api_answers_without_its_limits(
    client_as, personas, taxonomy, rates, settings
):
    # A Redis nobody listens on: every count fails to be read or kept.
    rates(user="1/min", user_burst="1/s", writes="1/min", bad_token="1/min")
    client = client_as("agent")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }

    answers = [client.get(LIST).status_code for _ in range(3)]
    bad_token = Client().get(LIST, headers={"authorization": "Token not-a-token"})

    assert answers == [200, 200, 200]
    assert bad_token.status_code == 401
