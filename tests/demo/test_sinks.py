"""The writers' column handling: later migrations must not break the generator."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from enquiries.models import EnquiryEvent
from seed.generator.builder import EVENT_COLUMNS, Prefetched
from seed.generator.sinks import PostgresTimes, SqliteTimes, Table


def test_columns_the_generator_does_not_know_get_their_model_defaults():
    known = [name for name in EVENT_COLUMNS if name not in ("text", "batch")]

    table = Table(EnquiryEvent, known)

    assert table.columns[: len(known)] == known
    assert dict(zip(table.columns[len(known) :], table.defaults, strict=True)) == {
        "text": "",
        "batch": None,
    }


def test_a_required_column_without_default_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match=r"enquiries_enquiryevent\.enquiry_id has no"):
        Table(EnquiryEvent, ["kind", "created_at"])


@pytest.mark.parametrize(
    ("epoch", "text"),
    [
        (0, "1970-01-01 00:00:00"),
        (1_288_569_599, "2010-10-31 23:59:59"),
        (1_277_935_200, "2010-06-30 22:00:00"),
    ],
)
def test_times_are_utc_text_on_sqlite_and_aware_datetimes_on_postgresql(epoch, text):
    moment = datetime.datetime.fromisoformat(text + "+00:00")

    assert SqliteTimes().epoch(epoch) == text
    assert SqliteTimes().of(moment) == text
    assert SqliteTimes().epoch(None) is None
    assert PostgresTimes().epoch(epoch) == moment
    assert PostgresTimes().epoch(None) is None
    assert PostgresTimes.of(moment) is moment


def test_reference_numbers_are_fetched_in_chunks_and_never_beyond_the_total():
    fetched = []

    def fetch(count):
        start = sum(fetched) + 1
        fetched.append(count)
        return list(range(start, start + count))

    numbers = Prefetched(fetch, chunk=4, total=10)

    assert numbers.take(3) == [1, 2, 3]
    assert numbers.take(3) == [4, 5, 6]
    assert numbers.take(4) == [7, 8, 9, 10]
    assert fetched == [4, 4, 2]
    with pytest.raises(ValueError, match="More reference numbers"):
        numbers.take(1)
