"""Danish formats of the report, independent of the UI's language."""

import datetime
from decimal import Decimal

import pytest

from reports import formatting, wording
from reports.formatting import da_int, da_percent, da_share, period_label, period_phrase

D = datetime.date


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (126, "126"), (2160, "2.160"), (216000, "216.000"),
                        (1234567, "1.234.567")],
)  # fmt: skip
def test_whole_numbers_group_thousands_with_a_full_stop(value, text):
    assert da_int(value) == text


@pytest.mark.parametrize(
    ("share", "text"),
    [(Decimal("30.9"), "30,9%"), (Decimal("5.1"), "5,1%"), (Decimal("15.0"), "15,0%"),
     (Decimal("100.0"), "100,0%")],
)  # fmt: skip
def test_shares_have_one_decimal_with_a_comma(share, text):
    assert da_share(share) == text


def test_survey_shares_are_written_like_the_reports_text():
    assert da_percent(Decimal("77.0")) == "77 %"
    assert da_percent(Decimal("81.5")) == "81,5 %"


@pytest.mark.parametrize(
    ("start", "end", "phrase"),
    [
        (D(2010, 7, 1), D(2010, 10, 31), "juli-oktober"),
        (D(2010, 11, 1), D(2010, 11, 30), "november"),
        (D(2010, 12, 1), D(2011, 1, 31), "december 2010-januar 2011"),
        (D(2010, 7, 1), D(2010, 7, 15), "1. juli 2010-15. juli 2010"),
        (D(2010, 2, 1), D(2010, 2, 28), "februar"),
        (D(2010, 7, 4), D(2010, 7, 4), "4. juli 2010"),
    ],
)
def test_the_period_is_named_as_the_report_names_it(start, end, phrase):
    assert period_phrase(start, end) == phrase


def test_the_full_period_label_names_both_days():
    assert period_label(D(2010, 7, 1), D(2010, 10, 31)) == "1. juli 2010 – 31. oktober 2010"


def test_at_full_scale_the_support_sentence_is_the_reports_own():
    text = wording.QUEUES["support"].intro.format(
        period=formatting.period_phrase(D(2010, 7, 1), D(2010, 10, 31)),
        total=da_int(216000),
        categories=46,
        name="",
    )

    assert text.startswith(
        "I alt er der i perioden juli-oktober modtaget 216.000 henvendelser omkring NemID til "
        "NemID-support. Henvendelserne er kategoriseret i 46 kategorier, som er samlet i mere "
        "overordnede emner. De hyppigst forekommende emner er:"
    )
