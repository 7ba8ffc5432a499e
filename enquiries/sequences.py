"""Enquiry reference numbers from a database sequence, never max()+1.

PostgreSQL uses the sequence `enquiry_reference_seq` (no lock, no gaps
filled). SQLite has no sequences; there an atomic UPDATE ... RETURNING on a
counter row does the same job under SQLite's single writer lock.
"""

from django.db import connection

SEQUENCE_NAME = "enquiry_reference_seq"
# A reference as format_reference writes it. The number is at least six
# digits and grows past them: the sequence is shared by every queue and
# year, so a decade of NemID support passes 999,999.
REFERENCE_PATTERN = r"[A-Z]{2,5}-\d{4}-\d{6,12}"


def next_reference_numbers(count: int = 1) -> list[int]:
    """Reserve `count` consecutive-or-not, never reused numbers."""
    if count < 1:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [SEQUENCE_NAME, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "INSERT INTO enquiries_referencecounter (name, value) VALUES (%s, 0) "
            "ON CONFLICT (name) DO NOTHING",
            [SEQUENCE_NAME],
        )
        cursor.execute(
            "UPDATE enquiries_referencecounter SET value = value + %s "
            "WHERE name = %s RETURNING value",
            [count, SEQUENCE_NAME],
        )
        last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))


def format_reference(prefix: str, year: int, number: int) -> str:
    """E.g. NID-2010-004711; the number is unique across all queues."""
    return f"{prefix}-{year}-{number:06d}"
