"""The PostgreSQL connection options every process gets from the environment."""

import pytest
from django.db import connection

from nemid_cases.settings import postgresql_options


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_a_query_starts_no_parallel_workers_by_default():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_parallel_workers_come_from_the_environment_beside_other_options(monkeypatch):
    monkeypatch.setenv("DB_PARALLEL_WORKERS", "2")
    database = {"OPTIONS": {"options": "-c statement_timeout=5000"}}

    options = postgresql_options(database)["OPTIONS"]["options"]

    assert options == "-c statement_timeout=5000 -c max_parallel_workers_per_gather=2"


def test_without_other_options_only_the_cap_is_sent(monkeypatch):
    monkeypatch.delenv("DB_PARALLEL_WORKERS", raising=False)

    assert postgresql_options({})["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0"
