"""A Celery worker whose first escalation claim hangs, for a test to kill it.

Run as `python -m tests.integration.crashing_worker MARKER celery-args...`.
The first pool process that reaches the claim writes its pid to MARKER and
waits inside the open transaction; the test kills it there. Pool processes
are forked from this one, so they inherit the patch.
"""

import os
import sys
import time
from pathlib import Path

marker = Path(sys.argv.pop(1))

import django  # noqa: E402

django.setup()

from enquiries import escalation  # noqa: E402

record_and_notify = escalation._record_and_notify


def hang_the_first_time(*args, **kwargs):
    if not marker.exists():
        partial = marker.with_suffix(".tmp")
        partial.write_text(str(os.getpid()))
        partial.rename(marker)
        time.sleep(120)
    return record_and_notify(*args, **kwargs)


escalation._record_and_notify = hang_the_first_time

from celery.__main__ import main  # noqa: E402

sys.argv[0] = "celery"
main()
