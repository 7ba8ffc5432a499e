"""Retention and erasure racing each other: every row anonymised and recorded once.

On PostgreSQL the threads really race (row locks, SKIP LOCKED, conditional
UPDATEs); on SQLite the same code runs and the database serialises it.
"""

from collections import Counter

import pytest

from enquiries.models import Citizen, Enquiry
from privacy import services
from privacy.models import Anonymisation, DataRequest, RetentionPolicy
from tests.factories import CitizenFactory
from tests.privacy.conftest import closed_enquiry, later
from tests.sla.test_concurrency import run_concurrently

CITIZENS = 12


@pytest.mark.django_db(transaction=True)
def test_racing_sweeps_and_erasures_anonymise_and_record_each_row_once(support, personas):
    RetentionPolicy.objects.create(retain_days=365)
    citizens = [CitizenFactory(name=f"Borger {n}", cpr=f"01018{n:01d}1234") for n in range(10)]
    citizens += [CitizenFactory(name=f"Borger {n}") for n in range(10, CITIZENS)]
    for citizen in citizens:
        for _ in range(2):
            closed_enquiry(support, personas["agent"], citizen=citizen)
    now = later(366)

    def work(i):
        if i % 3 == 0:
            for citizen in citizens[i % 4 :: 2]:
                services.erase_citizen(citizen, by=personas["secretariat"], reason="Brev")
        else:
            services.anonymise_expired(now=now, batch_size=3)

    run_concurrently(work)
    services.anonymise_expired(now=now)

    assert not Enquiry.objects.filter(anonymised_at__isnull=True).exists()
    assert not Citizen.objects.filter(anonymised_at__isnull=True).exists()
    per_enquiry = Counter(
        Anonymisation.objects.exclude(enquiry=None).values_list("enquiry_id", flat=True)
    )
    per_citizen = Counter(
        Anonymisation.objects.exclude(citizen=None).values_list("citizen_id", flat=True)
    )
    assert set(per_enquiry.values()) == {1} and len(per_enquiry) == 2 * CITIZENS
    assert set(per_citizen.values()) == {1} and len(per_citizen) == CITIZENS
    erased = DataRequest.objects.filter(kind="erasure")
    assert erased.values("citizen").distinct().count() == erased.count()
