"""Reads that must not grow with the table: each is served by an index.

Told not to scan or sort, PostgreSQL still does when no index serves the
read, so each test fails on the read a missing index would make slow (a
sort of the reader's whole scope, every citizen read for one e-mail).
"""

import pytest
from django.db import connection

from enquiries.filtersets import EnquiryPageFilterSet
from enquiries.models import Citizen, Enquiry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


def plan(queryset, *switched_off: str) -> str:
    with connection.cursor() as cursor:
        for setting in switched_off:
            cursor.execute(f"SET LOCAL {setting} = off")
    return queryset.explain()


SORTS = ["-received", "received", "-priority", "priority", "due", "-due", "status", "-status"]


@pytest.mark.parametrize("ordering", SORTS)
def test_every_sort_of_the_list_is_read_from_an_index_in_order(ordering):
    # Told not to sort, the planner still sorts when no index gives the
    # order: a sort with no index sorted the reader's whole scope.
    rows = EnquiryPageFilterSet({"ordering": ordering}, queryset=Enquiry.objects.all()).qs

    read = plan(rows[:25], "enable_sort")

    assert "Sort" not in read, read


def test_an_e_mail_sender_is_matched_to_a_citizen_by_an_index():
    # mailroom.services matches the sender case-insensitively.
    read = plan(Citizen.objects.filter(email__iexact="Borger@Example.DK"), "enable_seqscan")

    assert "citizen_email_upper" in read, read
