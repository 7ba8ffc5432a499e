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
def test_with_server_side_binding_a_query_run_again_and_again_is_prepared(monkeypatch):
    monkeypatch.setenv("DB_SERVER_SIDE_BINDING", "true")
    web = connection.copy()  # a web process's connection: the option on
    web.settings_dict["OPTIONS"].update(postgresql_options({})["OPTIONS"])
    # A shape no other code asks for, so only this test prepares it.
    query = "SELECT id FROM accounts_user WHERE last_name LIKE %s AND first_name LIKE %s"
    shown = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s"
    try:
        with web.cursor() as cursor:
            cursor.execute(query, ["%-x", "y-%"])
            cursor.execute(shown, ["%last_name LIKE%first_name LIKE%"])
            assert cursor.fetchone()[0] == 0
            for _ in range(6):
                cursor.execute(query, ["%-x", "y-%"])
            cursor.execute(shown, ["%last_name LIKE%first_name LIKE%"])
            assert cursor.fetchone()[0] == 1
    finally:
        web.close()


def test_server_side_binding_is_off_by_default(monkeypatch):
    """Off for the Celery workers' batch queries (docs/operations.md)."""
    monkeypatch.delenv("DB_SERVER_SIDE_BINDING", raising=False)

    options = postgresql_options({})["OPTIONS"]

    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_server_side_binding_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DB_SERVER_SIDE_BINDING", "true")
    monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)

    options = postgresql_options({})["OPTIONS"]

    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
