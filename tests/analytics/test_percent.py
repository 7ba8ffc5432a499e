"""A share as the report writes it: one decimal, rounded half up."""

from decimal import Decimal

import pytest

from analytics.periods import percent


@pytest.mark.parametrize(
    ("count", "total", "share"),
    [
        (0, 0, "0.0"),  # an empty bucket has no shares, not an error
        (5, 0, "0.0"),
        (0, 7, "0.0"),
        (7, 7, "100.0"),
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        # Half up, like the report (30.9), not to even: 6.25 -> 6.3.
        (1, 16, "6.3"),
        (3, 16, "18.8"),
        (41, 126, "32.5"),
        (187, 126, "148.4"),
    ],
)
def test_percent_has_one_decimal_rounded_half_up(count, total, share):
    assert percent(count, total) == Decimal(share)
    assert str(percent(count, total)) == share
