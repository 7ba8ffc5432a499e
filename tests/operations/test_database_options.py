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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_a_query_run_again_and_again_is_prepared_and_planned_once_by_default():
    from accounts.models import User

    # A shape no other code asks for, so only this test prepares it.
    query = User.objects.filter(last_name__endswith="-x", first_name__startswith="y-")
    shapes = ['%"last_name"::text LIKE%', '%"first_name"::text LIKE%']

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements"
                " WHERE statement LIKE %s AND statement LIKE %s",
                shapes,
            )
            return cursor.fetchone()[0]

    list(query.all())
    assert prepared() == 0
    for _ in range(6):
        list(query.all())

    assert prepared() == 1


def test_server_side_binding_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("DB_SERVER_SIDE_BINDING", "false")

    options = postgresql_options({})["OPTIONS"]

    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_server_side_binding_is_on_by_default(monkeypatch):
    monkeypatch.delenv("DB_SERVER_SIDE_BINDING", raising=False)
    monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)

    options = postgresql_options({})["OPTIONS"]

    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
