"""Exports stream: rows are read in keyset chunks while the response is sent.

With the chunk size lowered, every chunk is one query and the content is
exactly the list in order; on PostgreSQL a 100,000-row export runs one
query per 2,000 rows and never holds the rows in memory.
"""

import datetime
import io
import math
import time
import tracemalloc

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.periods import REPORTING_TZ
from enquiries.models import Enquiry, Queue
from exports.chunking import chunked_values
from tests.dashboards.dataset import make_enquiry
from tests.exports.conftest import read_csv, read_xlsx

pytestmark = pytest.mark.django_db


def _enquiry_selects(queries) -> int:
    return sum(
        1
        for query in queries
        if query["sql"].startswith("SELECT") and 'FROM "enquiries_enquiry"' in query["sql"]
    )


@pytest.fixture
def ten(taxonomy):
    """Ten support enquiries; four share one moment, so ties must break on id."""
    support = Queue.objects.get(code="support")
    moment = datetime.datetime(2010, 9, 6, 9, 0, tzinfo=REPORTING_TZ)
    same = [make_enquiry(support, moment, subject=f"Samme {i}") for i in range(4)]
    other = [
        make_enquiry(support, moment + datetime.timedelta(hours=i), subject=f"Anden {i}")
        for i in range(1, 7)
    ]
    return same + other


def _expected_order(enquiries) -> list[str]:
    ordered = sorted(enquiries, key=lambda e: (e.received_at, e.pk), reverse=True)
    return [e.reference for e in ordered]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("size", "queries"), [(3, 4), (5, 3), (10, 2), (100, 1)])
def test_export_reads_one_query_per_chunk_in_list_order(
    client_as, ten, settings, fmt, size, queries
):
    settings.EXPORT_CHUNK_SIZE = size
    client = client_as("manager")
    response = client.get(f"/exports/enquiries.{fmt}")
    assert response.streaming

    with CaptureQueriesContext(connection) as captured:
        rows = read_csv(response) if fmt == "csv" else read_xlsx(response)

    assert [row[0] for row in rows[1:]] == _expected_order(ten)
    # 10 rows: full chunks, then the short (or empty) one that ends it.
    assert _enquiry_selects(captured.captured_queries) == queries


def test_csv_sends_its_header_before_reading_any_row(client_as, ten, settings):
    settings.EXPORT_CHUNK_SIZE = 3
    response = client_as("manager").get("/exports/enquiries.csv")
    pieces = iter(response.streaming_content)

    with CaptureQueriesContext(connection) as captured:
        first = next(pieces)
    assert first.startswith(b"\xef\xbb\xbf")
    assert _enquiry_selects(captured.captured_queries) == 0

    with CaptureQueriesContext(connection) as captured:
        rest = b"".join(pieces)
    assert rest.count(b"\r\n") == 10
    assert _enquiry_selects(captured.captured_queries) == 4


def test_chunks_continue_after_the_last_key_also_ascending(ten):
    ordered = Enquiry.objects.filter(pk__in=[e.pk for e in ten])

    rows = list(chunked_values(ordered, ["reference"], key=("received_at", "id"), chunk_size=3))

    assert [row["reference"] for row in rows] == list(reversed(_expected_order(ten)))


def test_a_key_that_mixes_directions_is_refused(ten):
    with pytest.raises(ValueError, match="same way"):
        list(chunked_values(Enquiry.objects.all(), ["id"], key=("-received_at", "id")))


ROWS = 100_000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY-speed insert on PostgreSQL")
def test_100k_rows_stream_in_bounded_memory_and_queries(client_as, taxonomy, settings):
    support = Queue.objects.get(code="support")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO enquiries_enquiry (
                reference, queue_id, channel, received_at, subject, description, priority,
                status, language, resolution, escalation_level, sla_paused_time,
                created_at, updated_at, version
            )
            SELECT 'NID-2010-' || n, %s, 'phone',
                   TIMESTAMPTZ '2010-07-01 08:00+02' + n * INTERVAL '1 minute',
                   'Henvendelse nummer ' || n, '', 2, 'new', 'da', '', 0, INTERVAL '0',
                   now(), now(), 1
            FROM generate_series(1, %s) AS n
            """,
            [support.pk, ROWS],
        )
        # Fresh statistics, as autovacuum would give a real table.
        cursor.execute("ANALYZE enquiries_enquiry")
    settings.EXPORT_CHUNK_SIZE = 2000
    response = client_as("manager").get("/exports/enquiries.csv")

    lines = 0
    size = 0
    started = time.monotonic()
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as captured:
            for piece in response.streaming_content:
                lines += piece.count(b"\r\n")
                size += len(piece)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started

    assert lines == ROWS + 1
    assert _enquiry_selects(captured.captured_queries) == math.ceil(ROWS / 2000) + 1
    # The file is ~11 MB and the rows as dicts would be ~300 MB; what is
    # held at once is about one chunk of 2,000 rows (~6 MB).
    assert size > 10_000_000
    assert peak < 16_000_000, (peak, size)
    # Not a benchmark; a chunk that scanned the whole table would take minutes.
    assert elapsed < 120


def _bulk_enquiries(queue: Queue, count: int, *, first: int = 0) -> None:
    start = datetime.datetime(2010, 7, 1, 8, 0, tzinfo=REPORTING_TZ)
    Enquiry.objects.bulk_create(
        [
            Enquiry(
                reference=f"NID-2010-{n}",
                queue=queue,
                channel="phone",
                received_at=start + datetime.timedelta(minutes=n),
                subject=f"Henvendelse nummer {n} om den midlertidige adgangskode",
            )
            for n in range(first, first + count)
        ],
        batch_size=1000,
    )


def _xlsx_peak(client) -> tuple[int, int]:
    """(rows in the downloaded workbook, peak Python memory while sending it)."""
    response = client.get("/exports/enquiries.xlsx")
    pieces = []
    tracemalloc.start()
    try:
        for piece in response.streaming_content:
            pieces.append(piece)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(pieces)), read_only=True).active
    return sum(1 for _row in sheet.iter_rows(values_only=True)), peak


def test_xlsx_memory_does_not_grow_with_the_rows(client_as, taxonomy, settings):
    """Write-only openpyxl writes each row to a temporary file as it comes.

    The finished workbook is then sent from that file in 64 KiB pieces, so
    what is held is one chunk of rows, whatever the export's length: five
    times the rows may not cost noticeably more memory. (Measured: 1.67 and
    1.68 MB; with the rows held in a list, 2.3 and 6.6 MB.)
    """
    settings.EXPORT_CHUNK_SIZE = 500
    support = Queue.objects.get(code="support")
    client = client_as("manager")
    _bulk_enquiries(support, 2_000)
    small_rows, small_peak = _xlsx_peak(client)
    _bulk_enquiries(support, 8_000, first=2_000)

    large_rows, large_peak = _xlsx_peak(client)

    assert (small_rows, large_rows) == (2_001, 10_001)
    assert large_peak < small_peak * 1.3 + 1_000_000, (small_peak, large_peak)
