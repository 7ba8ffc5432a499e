import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from enquiries import cpr
from enquiries.models import Citizen
from tests.factories import CitizenFactory


@pytest.mark.parametrize(
    ("value", "digits"),
    [
        ("0101801234", "0101801234"),
        ("010180-1234", "0101801234"),
        (" 010180 1234 ", "0101801234"),
        # Fails the old modulus-11 check; valid since 2007.
        ("0101801235", "0101801235"),
        # 29 February in a leap year of the 2000s (seventh digit 4, year 04).
        ("2902044000", "2902044000"),
    ],
)
def test_normalize_cpr_accepts_valid_numbers(value, digits):
    assert cpr.normalize_cpr(value) == digits


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "format"),
        ("12345", "format"),
        ("01018O1234", "format"),
        ("010180--1234", "format"),
        ("3202801234", "date"),
        ("2902011234", "date"),  # 1901 is not a leap year
        ("0113801234", "date"),
        ("0101309999", "date"),  # seventh digit 9, year 30: 2030, the future
    ],
)
def test_normalize_cpr_rejects_bad_format_and_dates(value, code):
    with pytest.raises(ValidationError) as info:
        cpr.normalize_cpr(value)
    assert info.value.code == code


def test_century_follows_the_seventh_digit():
    assert cpr._century(3, 99) == 1900
    assert cpr._century(4, 36) == 2000
    assert cpr._century(4, 37) == 1900
    assert cpr._century(5, 57) == 2000
    assert cpr._century(8, 58) == 1800
    assert cpr._century(9, 10) == 2000


def test_mask_and_redact():
    assert cpr.mask_cpr("0101801234") == "010180-xxxx"
    assert cpr.redact_cpr("call 010180-1234 or 0101801234 now") == (
        "call 010180-xxxx or 010180-xxxx now"
    )
    assert cpr.redact_cpr("order 12345678901") == "order 12345678901"


@pytest.mark.django_db
def test_citizen_cpr_is_stored_only_encrypted_and_found_by_digest():
    citizen = CitizenFactory(cpr="070342-1234")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM enquiries_citizen WHERE id = %s", [citizen.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "0703421234" not in row
    assert "070342-1234" not in row
    assert citizen.cpr_masked == "070342-xxxx"
    assert Citizen.objects.with_cpr("0703421234").get() == citizen
    assert citizen.reveal_cpr() == "070342-1234"


@pytest.mark.django_db
def test_citizen_matching_finds_by_cpr_phone_and_name():
    inger = CitizenFactory(name="Inger Christensen", cpr="0703421234", phone="+45 21 43 65 87")
    CitizenFactory(name="Poul Andersen", phone="33124578")

    assert list(Citizen.objects.matching("070342-1234")) == [inger]
    assert list(Citizen.objects.matching("21436587")) == [inger]
    assert list(Citizen.objects.matching("christ")) == [inger]
    assert list(Citizen.objects.matching("3202801234")) == []


def test_log_records_with_a_cpr_number_are_redacted(caplog):
    from nemid_cases.logging import RedactCprFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "CPR %s", ("0101801234",), None)
    assert RedactCprFilter().filter(record)
    assert record.getMessage() == "CPR 010180-xxxx"


@pytest.mark.parametrize(
    "text", ["Ring 070342-1234", "cpr:0703421234", "070342 1234 er nummeret", "2902521234"]
)
def test_a_cpr_number_in_free_text_is_refused(text):
    with pytest.raises(ValidationError) as error:
        cpr.reject_cpr_in_text(text)

    assert error.value.code == "cpr_in_text"


@pytest.mark.parametrize(
    "text", ["", "Ordre 9999991234", "Telefon 20 30 40 50", "12345678901", "Sag 2010-004711"]
)
def test_text_without_a_cpr_number_passes(text):
    cpr.reject_cpr_in_text(text)


def test_check_free_text_names_each_field_that_carries_a_cpr_number():
    with pytest.raises(ValidationError) as error:
        cpr.check_free_text(note="Ring 070342-1234", resolution=None, text="Hjulpet")

    assert list(error.value.message_dict) == ["note"]


@pytest.mark.parametrize(
    "text, found",
    [
        # Danish letters fold to themselves: the unfolded text is read as is.
        ("Åbn henvendelsen NID-2010-000041 fra 2010-09-14 — borger 010203-1234 ønsker svar", 1),
        ("Æble på 2010-09-14 12:00, NID-2010-000041, ingen nummer her", 0),
        # ... but a look-alike digit or an invisible character beside them still folds.
        ("Åbn: borger ０１０２０３-1234 ønsker svar, NID-2010-000041", 1),
        ("Åbn: borger 0102\u200b03-1234 ønsker svar, NID-2010-000041", 1),
    ],
)
def test_cpr_in_long_non_ascii_text_with_and_without_folding(text, found):
    assert len(cpr.find_cpr(text)) == found
    if found:
        assert "1234" not in cpr.redact_cpr(text)
