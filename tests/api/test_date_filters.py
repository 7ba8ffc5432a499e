"""Date parameters of the API's lists: a day out of range is a 400 naming it.

`?received_before=9999-12-31` answered 500 (the next day's start
overflowed); tests/api/test_schemathesis_known_bad.py found it. Every date
parameter is a DayFilter (nemid_cases.api), so the window of
nemid_cases.moments.check_day holds for all of them.
"""

import pytest

# (list, its date parameters)
DATE_PARAMETERS = [
    ("/api/v1/enquiries/", "received_after"),
    ("/api/v1/enquiries/", "received_before"),
    ("/api/v1/actions/", "due_after"),
    ("/api/v1/actions/", "due_before"),
    ("/api/v1/meetings/", "held_after"),
    ("/api/v1/meetings/", "held_before"),
    ("/api/v1/ratings/", "recorded_from"),
    ("/api/v1/ratings/", "recorded_to"),
]
OUT_OF_RANGE = ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"]


@pytest.mark.parametrize(("url", "name"), DATE_PARAMETERS)
@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_a_day_out_of_range_is_a_400_naming_the_parameter(client_as, url, name, day):
    response = client_as("admin").get(url, {name: day})

    assert response.status_code == 400, response.content
    assert name in response.json()


@pytest.mark.parametrize(("url", "name"), DATE_PARAMETERS)
@pytest.mark.parametrize("day", ["1900-01-01", "2010-11-30", "2200-12-31"])
def test_a_day_in_range_filters(client_as, url, name, day):
    assert client_as("admin").get(url, {name: day}).status_code == 200
