"""Fixtures for the whole suite: settings, personas and the taxonomy."""

import os
import re

import pytest
from django.core.cache import cache
from django.test import Client

from nemid_cases.queueing import relay
from notices import cache_keys
from seed.reference import load_taxonomy
from tests.factories import TeamFactory, UserFactory

ROLE_GROUPS = {
    "agent": "support_agent",
    "team_lead": "team_lead",
    "secretariat": "secretariat",
    "manager": "manager",
    "admin": "administrator",
}


def own_redis_database(config: dict, worker: str) -> dict:
    """A Redis cache's LOCATION moved to a database of this xdist worker's own.

    cache.clear() is FLUSHDB, which a key prefix does not fence: a test that
    starts cold (tests/notices) would empty the other worker's cache in the
    middle of its test. Workers gw0, gw1, ... take the databases after the
    configured one.
    """
    location = config.get("LOCATION")
    if not config["BACKEND"].endswith("RedisCache") or not isinstance(location, str):
        return {}
    index = int(worker[2:]) + 1 if worker.startswith("gw") else 0
    base = re.search(r"/(\d+)$", location)
    database = (int(base.group(1)) if base else 0) + index
    return {"LOCATION": re.sub(r"(/\d+)?$", f"/{database % 16}", location, count=1)}


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.CPR_ENCRYPTION_KEYS = ["lI2mu-nAOvWE2XyjO8hrqr8XQS9sz8oGBJtkpKgCyUU="]
    settings.CPR_HASH_KEY = "test-hash-key"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    # No API throttling in tests (tests/test_throttling.py sets its rates).
    settings.API_THROTTLE_RATES = {}
    # Every test client builds its own middleware chain; WhiteNoise would
    # walk every static file for each one (a tenth of a second a client).
    # Looking a file up when it is asked for serves the same bytes.
    settings.WHITENOISE_AUTOREFRESH = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Each test starts with the broker relay's circuit closed: a broker
    # failure in one test does not silence publishing in the next.
    relay.reset()
    # Each xdist worker keys its own cache entries, as a local-memory cache
    # per process would: in the PostgreSQL run one Redis serves every
    # worker, and a cached copy (the incident banner) must not leak from one
    # worker's test into another's.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{worker}", **own_redis_database(config, worker)}
        for name, config in settings.CACHES.items()
    }
    # A test starts with no incident, and the banner knows it without a
    # query: counted pages cost the same whatever test ran before. A test
    # that publishes one clears it when the change commits, as in use.
    cache.set(cache_keys.BANNER, [], cache_keys.BANNER_SECONDS)
    # A loaded CI machine may take a second to open a broker connection;
    # the fault tests that hang the broker set their own short wait.
    settings.CELERY_PUBLISH_WAIT = 10


@pytest.fixture
def taxonomy(db):
    """The seeded queues, topics and categories, with the support team."""
    from enquiries.models import Queue

    load_taxonomy()
    team = TeamFactory(name="NemID-support")
    Queue.objects.filter(code="support").update(team=team)
    return {q.code: q for q in Queue.objects.all()}


@pytest.fixture
def support_team(taxonomy):
    return taxonomy["support"].team


@pytest.fixture
def personas(db, support_team):
    """One user per role; agent and team lead work the support queue."""
    users = {}
    for persona, group in ROLE_GROUPS.items():
        team = support_team if persona in ("agent", "team_lead") else None
        users[persona] = UserFactory(username=persona, role=group, team=team)
    support_team.lead = users["team_lead"]
    support_team.save()
    return users


@pytest.fixture
def client_as(personas):
    """client_as("agent") is a test client logged in as that persona.

    `language="da"` stores that choice on the user, as the language switch
    does (a logged-in user's pages follow it, not the browser or a cookie).
    """

    def make(persona: str, language: str | None = None) -> Client:
        client = Client()
        if persona == "anonymous":
            if language:
                client.cookies["django_language"] = language
            return client
        user = personas[persona]
        if language:
            user.language = language
            user.save(update_fields=["language"])
        client.force_login(user)
        return client

    return make
