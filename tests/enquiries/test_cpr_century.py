"""The CPR number's century, its date of birth at the edges, and the digests.

The seventh digit (the first of the serial number) and the two-digit year
together give the century: the CPR office's table, written out below.
"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from enquiries import cpr

# (seventh digits, highest year for 2000s or None, century otherwise)
CENTURY_TABLE = [
    ((0, 1, 2, 3), None, 1900),
    ((4, 9), 36, 1900),
    ((5, 6, 7, 8), 57, 1800),
]


@pytest.mark.parametrize(
    ("digit", "yy", "century"),
    [
        (digit, yy, 2000 if last_2000s is not None and yy <= last_2000s else other)
        for digits, last_2000s, other in CENTURY_TABLE
        for digit in digits
        for yy in (0, 36, 37, 57, 58, 99)
    ],
)
def test_century_for_every_seventh_digit_and_year_boundary(digit, yy, century):
    assert cpr._century(digit, yy) == century


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        # Seventh digit 4, year 30: 2030, in the future; the eighth digit
        # (0, meaning 1930) must not be read instead.
        ("0101304000", False),
        # Seventh digit 0: 1930; the eighth digit 9 would give 2030.
        ("0101300999", True),
        # Seventh digit 9, year 36: 2036; 37 is 1937.
        ("0101369000", False),
        ("0101379000", True),
        # Seventh digit 5, year 58: 1858 (a date that exists then).
        ("2902585000", False),  # 1858 was no leap year
        ("2902565000", False),  # 2056: the future
    ],
)
def test_the_date_of_birth_uses_the_seventh_digit(value, accepted):
    if accepted:
        assert cpr.normalize_cpr(value) == value
    else:
        with pytest.raises(ValidationError) as info:
            cpr.normalize_cpr(value)
        assert info.value.code == "date"


def _born_on(day: datetime.date) -> str:
    yy = day.year % 100
    seventh = 4 if day.year >= 2000 and yy <= 36 else 0
    return f"{day:%d%m}{yy:02d}{seventh}123"


def test_a_child_born_today_has_a_valid_number():
    today = datetime.date.today()

    assert cpr.normalize_cpr(_born_on(today)) == _born_on(today)


def test_a_birth_date_of_tomorrow_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as info:
        cpr.normalize_cpr(_born_on(tomorrow))

    assert info.value.code == "date"


def test_check_free_text_names_each_offending_field():
    with pytest.raises(ValidationError) as info:
        cpr.check_free_text(note="Ring 070342-1234", resolution="Ok", reason=None)

    assert set(info.value.message_dict) == {"note"}
    assert info.value.message_dict["note"][0].startswith("This looks like a CPR number")


def test_a_digest_needs_a_key(settings):
    settings.CPR_HASH_KEY = ""

    with pytest.raises(ImproperlyConfigured):
        cpr.cpr_digest("0703421234")


def test_digests_are_the_current_key_then_the_previous_ones(settings):
    settings.CPR_HASH_KEY_PREVIOUS = ["old-key", "test-hash-key", ""]

    assert cpr.cpr_digests("0703421234") == [
        cpr.cpr_digest("0703421234", "test-hash-key"),
        cpr.cpr_digest("0703421234", "old-key"),
    ]


def test_format_and_mask_split_after_the_date():
    assert cpr.format_cpr("0703421234") == "070342-1234"
    assert cpr.mask_cpr("0703421234") == "070342-xxxx"
