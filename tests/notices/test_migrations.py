"""The notices migrations keep the rows they reshape."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import UserFactory

BEFORE = [("notices", "0005_incident_link")]
AFTER = [("notices", "0006_draftevent_timeline_base")]


@pytest.mark.django_db(transaction=True)
def test_draft_events_keep_time_author_and_reason_on_the_timeline_base():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    # The users' table is today's: made with today's model, linked by id.
    author, approver = UserFactory(), UserFactory()
    draft = old.get_model("notices", "PublicationDraft").objects.create(
        kind="incident", payload={"title_da": "Nedbrud"}, created_by_id=author.pk
    )
    at = datetime.datetime(2010, 9, 1, 12, 30, tzinfo=datetime.UTC)
    old.get_model("notices", "DraftEvent").objects.create(
        draft=draft, kind="rejected", at=at, by_id=approver.pk, note="Forkert tidspunkt."
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    event = new.get_model("notices", "DraftEvent").objects.get()

    assert (event.draft_id, event.kind, event.created_at, event.actor_id, event.text) == (
        draft.pk,
        "rejected",
        at,
        approver.pk,
        "Forkert tidspunkt.",
    )
