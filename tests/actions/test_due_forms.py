"""Due phrases: every word of the parser's tables, the formatter's exact
wording in each language, and the round trip from any due date.

The word tables are written out here on purpose: the parser's own dicts
must equal them, so a word mapped to the wrong number fails here.
"""

import calendar
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from actions import due as due_module
from actions.due import Due, format_due, parse_due, year_assumed
from actions.models import Action

P = Action.DuePrecision
D = datetime.date
TODAY = D(2010, 11, 26)

ORDINAL_WORDS = {
    "første": 1,
    "first": 1,
    "andet": 2,
    "anden": 2,
    "second": 2,
    "tredje": 3,
    "third": 3,
    "fjerde": 4,
    "fourth": 4,
}
SEASON_WORDS = {
    "spring": 3,
    "foråret": 3,
    "forår": 3,
    "summer": 6,
    "sommeren": 6,
    "sommer": 6,
    "autumn": 9,
    "fall": 9,
    "efteråret": 9,
    "efterår": 9,
    "winter": 12,
    "vinteren": 12,
    "vinter": 12,
}
PART_WORDS = {
    "primo": (1, 10),
    "early": (1, 10),
    "beginning of": (1, 10),
    "start of": (1, 10),
    "begyndelsen af": (1, 10),
    "starten af": (1, 10),
    "medio": (11, 20),
    "mid": (11, 20),
    "middle of": (11, 20),
    "midten af": (11, 20),
    "ultimo": (21, 30),
    "late": (21, 30),
    "end of": (21, 30),
    "slutningen af": (21, 30),
    "udgangen af": (21, 30),
}


def test_the_parser_knows_exactly_these_words():
    assert due_module.ORDINALS == ORDINAL_WORDS
    assert due_module.SEASONS == SEASON_WORDS
    assert set(due_module.PART_WORDS) == set(PART_WORDS)


@pytest.mark.parametrize(("word", "number"), ORDINAL_WORDS.items())
def test_an_ordinal_word_names_its_quarter(word, number):
    noun = "quarter" if word.isascii() else "kvartal"
    first_month = 3 * number - 2

    due = parse_due(f"{word} {noun} 2011", today=TODAY)

    assert (due.start, due.precision) == (D(2011, first_month, 1), P.QUARTER)
    assert due.end == D(2011, first_month + 2, calendar.monthrange(2011, first_month + 2)[1])


@pytest.mark.parametrize(("word", "number"), [(w, n) for w, n in ORDINAL_WORDS.items() if n <= 2])
def test_an_ordinal_word_names_its_half_year(word, number):
    noun = "half" if word.isascii() else "halvår"

    due = parse_due(f"{word} {noun} 2011", today=TODAY)

    assert (due.start, due.end) == (D(2011, 6 * number - 5, 1), _month_end(2011, 6 * number))


@pytest.mark.parametrize("word", ["tredje", "third", "fjerde", "fourth"])
def test_there_is_no_third_or_fourth_half_year(word):
    with pytest.raises(ValidationError):
        parse_due(f"{word} half 2011" if word.isascii() else f"{word} halvår 2011")


@pytest.mark.parametrize(("word", "first_month"), SEASON_WORDS.items())
def test_a_season_word_names_its_three_months(word, first_month):
    due = parse_due(f"{word} 2010", today=TODAY)

    last_year, last_month = (2011, 2) if first_month == 12 else (2010, first_month + 2)
    assert due == Due(
        D(2010, first_month, 1),
        D(last_year, last_month, calendar.monthrange(last_year, last_month)[1]),
        P.SEASON,
    )


@pytest.mark.parametrize(("words", "days"), PART_WORDS.items())
def test_a_part_word_names_its_third_of_the_month(words, days):
    due = parse_due(f"{words} november 2010", today=TODAY)

    assert (due.start, due.end, due.precision) == (
        D(2010, 11, days[0]),
        D(2010, 11, days[1]),
        P.PART_OF_MONTH,
    )


@pytest.mark.parametrize(
    ("words", "months"),
    [
        ("primo", (1, 4)),
        ("early", (1, 4)),
        ("medio", (5, 8)),
        ("mid", (5, 8)),
        ("ultimo", (9, 12)),
        ("late", (9, 12)),
        ("end of", (9, 12)),
    ],
)
def test_a_part_word_with_a_year_names_its_third_of_the_year(words, months):
    due = parse_due(f"{words} 2011", today=TODAY)

    last = D(2011, months[1], calendar.monthrange(2011, months[1])[1])
    assert due == Due(D(2011, months[0], 1), last, P.PART_OF_YEAR)


@pytest.mark.parametrize(
    "phrase", ["2011-Q1", "2011 Q1", "2011-q1", "Q1 2011", "q1 2011", "kvartal 1 2011"]
)
def test_a_quarter_with_the_year_first_or_last(phrase):
    assert parse_due(phrase, today=TODAY) == Due(D(2011, 1, 1), D(2011, 3, 31), P.QUARTER)


@pytest.mark.parametrize("phrase", ["2011-Q0", "2011-Q5", "2011-Q9", "Q5 2011"])
def test_a_quarter_out_of_range_is_refused_not_a_crash(phrase):
    with pytest.raises(ValidationError) as error:
        parse_due(phrase, today=TODAY)

    assert error.value.code == "invalid_due"


@pytest.mark.parametrize(
    "phrase",
    ["11/2010x", "11/2010 foo", "11/2010/1", "11/20101", "11/2010-12", "11//2010", "x11/2010"],
)
def test_trailing_or_leading_junk_around_a_numeric_month_is_refused(phrase):
    with pytest.raises(ValidationError):
        parse_due(phrase, today=TODAY)


def test_a_numeric_month_is_that_month():
    assert parse_due("11/2010", today=TODAY) == Due(D(2010, 11, 1), D(2010, 11, 30), P.MONTH)
    assert parse_due("2010-11", today=TODAY) == Due(D(2010, 11, 1), D(2010, 11, 30), P.MONTH)


@pytest.mark.parametrize(
    ("due", "danish", "english"),
    [
        (Due(D(2010, 11, 17), D(2010, 11, 17), P.DAY), "17. november 2010", "17 November 2010"),
        (
            Due(D(2010, 11, 11), D(2010, 11, 20), P.PART_OF_MONTH),
            "medio november 2010",
            "mid November 2010",
        ),
        (
            Due(D(2010, 11, 1), D(2010, 11, 10), P.PART_OF_MONTH),
            "primo november 2010",
            "early November 2010",
        ),
        (
            Due(D(2010, 11, 21), D(2010, 11, 30), P.PART_OF_MONTH),
            "ultimo november 2010",
            "late November 2010",
        ),
        (Due(D(2010, 11, 22), D(2010, 11, 28), P.WEEK), "uge 47 2010", "week 47 2010"),
        # ISO week 52 of 2009 runs into January 2010: the ISO year is named.
        (Due(D(2009, 12, 28), D(2010, 1, 3), P.WEEK), "uge 53 2009", "week 53 2009"),
        (Due(D(2010, 12, 1), D(2010, 12, 31), P.MONTH), "december 2010", "December 2010"),
        (Due(D(2010, 7, 1), D(2010, 10, 31), P.MONTH), "juli-oktober 2010", "July-October 2010"),
        (Due(D(2011, 4, 1), D(2011, 6, 30), P.QUARTER), "2. kvartal 2011", "Q2 2011"),
        (Due(D(2011, 10, 1), D(2011, 12, 31), P.QUARTER), "4. kvartal 2011", "Q4 2011"),
        (Due(D(2011, 1, 1), D(2011, 6, 30), P.HALF_YEAR), "1. halvår 2011", "first half of 2011"),
        (
            Due(D(2011, 7, 1), D(2011, 12, 31), P.HALF_YEAR),
            "2. halvår 2011",
            "second half of 2011",
        ),
        (Due(D(2011, 6, 1), D(2011, 8, 31), P.SEASON), "sommeren 2011", "summer 2011"),
        (Due(D(2010, 12, 1), D(2011, 2, 28), P.SEASON), "vinteren 2010/11", "winter 2010/11"),
        (Due(D(2099, 12, 1), D(2100, 2, 28), P.SEASON), "vinteren 2099/00", "winter 2099/00"),
        (Due(D(2011, 5, 1), D(2011, 8, 31), P.PART_OF_YEAR), "medio 2011", "mid 2011"),
        (Due(D(2011, 9, 1), D(2011, 12, 31), P.PART_OF_YEAR), "ultimo 2011", "late 2011"),
        (Due(D(2011, 1, 1), D(2011, 12, 31), P.YEAR), "2011", "2011"),
        (Due(None, None, P.ASAP, is_asap=True), "snarest muligt", "as soon as possible"),
        (Due(None, None, P.NONE), "", ""),
    ],
)
def test_format_due_writes_each_language_its_own_way(due, danish, english):
    assert format_due(due, language="da") == danish
    assert format_due(due, language="en") == english
    assert format_due(due, language="en-gb") == english


def test_format_due_follows_the_active_language():
    from django.utils import translation

    week = Due(D(2010, 11, 22), D(2010, 11, 28), P.WEEK)
    with translation.override("en"):
        assert format_due(week) == "week 47 2010"
    with translation.override("da"):
        assert format_due(week) == "uge 47 2010"


def test_a_winter_named_by_its_first_year_or_both():
    winter = Due(D(2010, 12, 1), D(2011, 2, 28), P.SEASON)

    assert parse_due("vinteren 2010", today=TODAY) == winter
    assert parse_due("vinteren 2010/11", today=TODAY) == winter
    assert parse_due("winter 2010-2011", today=TODAY) == winter
    with pytest.raises(ValidationError):
        parse_due("sommeren 2010/11", today=TODAY)


@pytest.mark.parametrize(
    ("phrase", "today", "start"),
    [
        # A running winter or last year's ISO week 53 is the next occurrence.
        ("vinteren", D(2011, 1, 15), D(2010, 12, 1)),
        ("uge 53", D(2010, 1, 2), D(2009, 12, 28)),
        # The last day of a period is still in it.
        ("november", D(2010, 11, 30), D(2010, 11, 1)),
        ("november", D(2010, 12, 1), D(2011, 11, 1)),
        ("29/2", D(2010, 3, 1), D(2012, 2, 29)),
    ],
)
def test_without_a_year_the_next_occurrence_is_taken(phrase, today, start):
    assert parse_due(phrase, today=today).start == start


def test_a_period_that_never_comes_again_is_refused():
    with pytest.raises(ValidationError):
        parse_due("29/2", today=D(2100, 3, 1))


@pytest.mark.parametrize(
    ("phrase", "assumed"),
    [("november", True), ("november 2010", False), ("snarest", False), ("blah", False)],
)
def test_year_assumed(phrase, assumed):
    assert year_assumed(phrase, today=TODAY) is assumed


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("1899", "invalid_due_year"),
        ("2101", "invalid_due_year"),
        ("17/11 1899", "invalid_due_year"),
        ("31. november 2010", "invalid_due_date"),
        ("13/2010", "invalid_due_date"),
        ("0/2010", "invalid_due_date"),
        ("2010-13", "invalid_due_date"),
        ("32/1", "invalid_due_date"),
        ("17/13 2010", "invalid_due_date"),
        ("17/0 2010", "invalid_due_date"),
        # Without a year the day is checked before any year is tried.
        ("0/11", "invalid_due_date"),
        ("31/11", "invalid_due_date"),
        ("0. november", "invalid_due_date"),
        ("31. november", "invalid_due_date"),
        ("november 31", "invalid_due_date"),
        ("uge 54", "invalid_due_week"),
        ("uge 0", "invalid_due_week"),
        ("2011-W53", "invalid_due_week"),
    ],
)
def test_out_of_range_parts_are_refused_with_their_reason(phrase, code):
    with pytest.raises(ValidationError) as error:
        parse_due(phrase, today=TODAY)

    assert error.value.code == code


def test_the_year_range_is_inclusive():
    assert parse_due("1900", today=TODAY).start == D(1900, 1, 1)
    assert parse_due("2100", today=TODAY).end == D(2100, 12, 31)
    assert parse_due("17/11-10", today=TODAY).start == D(2010, 11, 17)


def _month_end(year: int, month: int) -> D:
    return D(year, month, calendar.monthrange(year, month)[1])


@st.composite
def due_dates(draw) -> Due:
    """Any due date the parser can give, built from the calendar directly."""
    year = draw(st.integers(1901, 2098))
    kind = draw(st.sampled_from(list(P)))
    month = draw(st.integers(1, 12))
    if kind == P.DAY:
        day = draw(st.dates(D(year, 1, 1), D(year, 12, 31)))
        return Due(day, day, kind)
    if kind == P.PART_OF_MONTH:
        third = draw(st.integers(0, 2))
        end = _month_end(year, month) if third == 2 else D(year, month, 10 * third + 10)
        return Due(D(year, month, 10 * third + 1), end, kind)
    if kind == P.WEEK:
        weeks = D(year, 12, 28).isocalendar()[1]
        start = D.fromisocalendar(year, draw(st.integers(1, weeks)), 1)
        return Due(start, start + datetime.timedelta(days=6), kind)
    if kind == P.MONTH:
        last = draw(st.integers(month, 12))
        return Due(D(year, month, 1), _month_end(year, last), kind)
    if kind == P.QUARTER:
        first = 3 * draw(st.integers(0, 3)) + 1
        return Due(D(year, first, 1), _month_end(year, first + 2), kind)
    if kind == P.HALF_YEAR:
        first = draw(st.sampled_from([1, 7]))
        return Due(D(year, first, 1), _month_end(year, first + 5), kind)
    if kind == P.SEASON:
        first = draw(st.sampled_from([3, 6, 9, 12]))
        if first == 12:
            return Due(D(year, 12, 1), _month_end(year + 1, 2), kind)
        return Due(D(year, first, 1), _month_end(year, first + 2), kind)
    if kind == P.PART_OF_YEAR:
        first = 4 * draw(st.integers(0, 2)) + 1
        return Due(D(year, first, 1), _month_end(year, first + 3), kind)
    if kind == P.YEAR:
        return Due(D(year, 1, 1), D(year, 12, 31), kind)
    if kind == P.ASAP:
        return Due(None, None, kind, is_asap=True)
    return Due(None, None, P.NONE)


@settings(max_examples=300, deadline=None)
@given(due=due_dates(), language=st.sampled_from(["da", "en"]))
def test_every_due_date_round_trips_through_its_phrase(due, language):
    phrase = format_due(due, language=language)

    assert parse_due(phrase, today=TODAY) == due
    # And the phrase is canonical: formatting again changes nothing.
    assert format_due(parse_due(phrase, today=TODAY), language=language) == phrase


@pytest.mark.parametrize(
    ("phrase", "today"), [("uge 1", D(2100, 12, 30)), ("januar", D(2100, 2, 1))]
)
def test_the_next_occurrence_is_never_after_the_last_year_accepted(phrase, today):
    with pytest.raises(ValidationError):
        parse_due(phrase, today=today)


def test_the_next_occurrence_is_never_before_the_first_year_accepted():
    # The winter running on 15 January 1900 began in 1899, before the range.
    assert parse_due("vinteren", today=D(1900, 1, 15)).start == D(1900, 12, 1)


def test_the_last_accepted_year_is_still_a_next_occurrence():
    assert parse_due("december", today=D(2100, 6, 1)).start == D(2100, 12, 1)


def test_without_today_the_local_date_is_today():
    from django.utils import timezone

    today = timezone.localdate()

    assert parse_due("november") == parse_due("november", today=today)
    assert year_assumed("november") is True
    assert year_assumed("november 2010") is False


def test_a_phrase_of_exactly_the_maximum_length_is_read():
    phrase = "i " * 48 + "2011"
    assert len(phrase) == due_module.MAX_LENGTH

    assert parse_due(phrase, today=TODAY).precision == P.YEAR
    with pytest.raises(ValidationError):
        parse_due("i " + phrase, today=TODAY)


def test_29_february_without_a_year_is_the_next_leap_day():
    assert parse_due("29. februar", today=TODAY).start == D(2012, 2, 29)
    assert parse_due("February 29", today=TODAY).start == D(2012, 2, 29)


@pytest.mark.parametrize("phrase", ["juli-juli 2010", "oktober-juli 2010"])
def test_a_span_of_months_must_run_forwards_over_two_months_or_more(phrase):
    with pytest.raises(ValidationError):
        parse_due(phrase, today=TODAY)


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_every_quarter_with_the_year_first(quarter):
    first = 3 * quarter - 2

    due = parse_due(f"2011-Q{quarter}", today=TODAY)

    assert due == Due(D(2011, first, 1), _month_end(2011, first + 2), P.QUARTER)


@pytest.mark.parametrize("phrase", ["17/11 - 2010", "2010 - 11 - 17"])
def test_spaces_around_a_dash_between_numbers_are_ignored(phrase):
    assert parse_due(phrase, today=TODAY) == Due(D(2010, 11, 17), D(2010, 11, 17), P.DAY)
