"""Resolving a known problem at the report's scale, in seconds and bounded memory.

The size is PROBLEMS_SCALE_SIZE (default 5,000 linked enquiries, each
citizen with an e-mail address; building 50,000 rows takes about a minute
on SQLite, so the report's 50,000 is run as a benchmark:
`PROBLEMS_SCALE_SIZE=50000 pytest -p no:xdist -s tests/problems/test_scale.py`,
figures in docs/known-problems.md). Peak Python memory while resolving is
measured with tracemalloc and must not grow with the number of enquiries.
"""

import os
import time
import tracemalloc

from django.utils import timezone

from enquiries.models import Citizen, Enquiry, EnquiryEvent, Notification
from notices.models import StandardText
from notices.services import ensure_standard_text
from problems import services
from problems.models import KnownProblem, KnownProblemLink
from tests.factories import EnquiryFactory

SIZE = int(os.environ.get("PROBLEMS_SCALE_SIZE", "5000"))
# Peak Python allocation allowed while resolving, whatever SIZE is.
MEMORY_LIMIT = 2 * 1024 * 1024


def build(problem, category, size: int) -> None:
    """`size` linked open enquiries, one citizen (with e-mail) each, in bulk."""
    now = timezone.now()
    step = 5000
    for start in range(0, size, step):
        stop = min(size, start + step)
        citizens = Citizen.objects.bulk_create(
            Citizen(name=f"Borger {i}", email=f"borger{i}@example.invalid")
            for i in range(start, stop)
        )
        enquiries = Enquiry.objects.bulk_create(
            Enquiry(
                reference=f"NID-2010-{900000 + i}",
                queue_id=category.topic.queue_id,
                channel="phone",
                received_at=now,
                citizen=citizen,
                subject="Kan kun aktivere netbank",
                category=category,
                topic_id=category.topic_id,
            )
            for i, citizen in zip(range(start, stop), citizens, strict=True)
        )
        KnownProblemLink.objects.bulk_create(
            KnownProblemLink(problem=problem, enquiry=enquiry, linked_at=now)
            for enquiry in enquiries
        )


def test_resolving_many_linked_enquiries_is_fast_and_bounded(problem, category, personas):
    ensure_standard_text(
        services.RESOLVED_TEXT_CODE,
        kind=StandardText.Kind.RESOLUTION,
        text_da="Fejlen er rettet.",
        text_en="The fault is fixed.",
    )
    build(problem, category, SIZE)
    # One small resolution first, so the modules a first call imports are
    # not counted as memory the rows took.
    warm_up = KnownProblem.objects.create(title="Opvarmning", description="x")
    KnownProblemLink.objects.create(problem=warm_up, enquiry=EnquiryFactory(category=category))
    services.resolve_known_problem(warm_up, by=personas["secretariat"], resolution="Rettet")

    tracemalloc.start()
    started = time.perf_counter()
    record = services.resolve_known_problem(
        problem, by=personas["secretariat"], resolution="Rettet"
    )
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    if os.environ.get("PROBLEMS_SCALE_PROFILE"):
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:8]:
            print(stat)
    tracemalloc.stop()

    print(f"\nresolved {SIZE} linked enquiries in {elapsed:.2f} s, peak {peak / 1e6:.2f} MB")
    assert (record.enquiry_count, record.notified_count) == (SIZE, SIZE)
    assert Enquiry.objects.filter(known_problem_links__problem=problem).open().count() == 0
    assert EnquiryEvent.objects.filter(batch=record.batch).count() == SIZE
    assert Notification.objects.filter(key__contains=str(record.batch)).count() == SIZE
    assert elapsed < 30
    assert peak < MEMORY_LIMIT
