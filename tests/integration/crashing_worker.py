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


def hang_the_first_time(record):
    """`record` (a sweep's write of its claimed batch), hanging the first time."""

    def hanging(*args, **kwargs):
        if not marker.exists():
            partial = marker.with_suffix(".tmp")
            partial.write_text(str(os.getpid()))
            partial.rename(marker)
            time.sleep(120)
        return record(*args, **kwargs)

    return hanging


# Both ways a batch is written: rows by rows in Python (SQLite, and rows
# that may quote a CPR number), set-based in SQL on PostgreSQL.
escalation._record_and_notify = hang_the_first_time(escalation._record_and_notify)
escalation._record_and_notify_in_sql = hang_the_first_time(escalation._record_and_notify_in_sql)

from celery.__main__ import main  # noqa: E402

sys.argv[0] = "celery"
main()
