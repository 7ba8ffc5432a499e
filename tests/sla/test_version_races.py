"""Racing editors from one version, each on its own connection: one wins.

On PostgreSQL the threads really race for the row (the claim's conditional
UPDATE waits on the winner's lock, then finds the version moved on); on
SQLite the database serialises them and the same code decides.
"""

import threading

import pytest

from enquiries import services
from enquiries.models import Enquiry
from nemid_cases.versioning import StaleVersion, editing
from tests.sla.test_concurrency import run_concurrently

EDITORS = 6


@pytest.mark.django_db(transaction=True)
def test_of_editors_racing_from_one_version_exactly_one_writes(taxonomy, personas):
    enquiry = services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="Kode ikke modtaget"
    )
    start = enquiry.version
    won, refused = [], []
    lock = threading.Lock()

    def edit(i):
        row = Enquiry.objects.get(pk=enquiry.pk)
        try:
            with editing(row, start):
                services.update_enquiry(
                    row, by=personas["agent"], changes={"subject": f"Redaktør {i}"}
                )
        except StaleVersion:
            with lock:
                refused.append(i)
        else:
            with lock:
                won.append(i)

    run_concurrently(edit, EDITORS)

    assert len(won) == 1 and len(refused) == EDITORS - 1
    enquiry.refresh_from_db()
    assert enquiry.subject == f"Redaktør {won[0]}"
    assert enquiry.version == start + 1
    assert enquiry.events.filter(kind="field").count() <= 1


@pytest.mark.django_db(transaction=True)
def test_every_save_outside_an_edit_moves_the_version_once(taxonomy, personas):
    enquiry = services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="Kode ikke modtaget"
    )
    start = enquiry.version

    def touch(i):
        row = Enquiry.objects.get(pk=enquiry.pk)
        row.save(update_fields=["updated_at"])

    run_concurrently(touch, EDITORS)

    enquiry.refresh_from_db()
    assert enquiry.version == start + EDITORS
