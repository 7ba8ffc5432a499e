import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actions.due import DA_MONTHS, EN_MONTHS, Due, format_due, parse_due, year_assumed
from actions.models import Action

P = Action.DuePrecision
D = datetime.date
# The report's own "today": the taskforce ended its work on this day.
REPORT_DAY = D(2010, 11, 26)
relaxed = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

# Every date phrase in the report, as written there, with what it means.
REPORT_PHRASES = [
    ("6. oktober 2010", D(2010, 10, 6), D(2010, 10, 6), P.DAY),
    ("den 29. oktober 2010", D(2010, 10, 29), D(2010, 10, 29), P.DAY),
    ("fredag den 26. november 2010", D(2010, 11, 26), D(2010, 11, 26), P.DAY),
    ("pr. 3.januar 2011", D(2011, 1, 3), D(2011, 1, 3), P.DAY),
    ("medio november 2010", D(2010, 11, 11), D(2010, 11, 20), P.PART_OF_MONTH),
    ("medio januar 2011", D(2011, 1, 11), D(2011, 1, 20), P.PART_OF_MONTH),
    ("i efteråret 2010", D(2010, 9, 1), D(2010, 11, 30), P.SEASON),
    ("i foråret 2011", D(2011, 3, 1), D(2011, 5, 31), P.SEASON),
    ("foråret 2011", D(2011, 3, 1), D(2011, 5, 31), P.SEASON),
    ("juli-oktober 2010", D(2010, 7, 1), D(2010, 10, 31), P.MONTH),
    ("i november", D(2010, 11, 1), D(2010, 11, 30), P.MONTH),
    ("22. november 2010", D(2010, 11, 22), D(2010, 11, 22), P.DAY),
    ("pr. medio december", D(2010, 12, 11), D(2010, 12, 20), P.PART_OF_MONTH),
    ("medio december", D(2010, 12, 11), D(2010, 12, 20), P.PART_OF_MONTH),
    ("primo november 2010", D(2010, 11, 1), D(2010, 11, 10), P.PART_OF_MONTH),
    ("pr. 7. oktober 2010", D(2010, 10, 7), D(2010, 10, 7), P.DAY),
    ("pr. 17. november 2010", D(2010, 11, 17), D(2010, 11, 17), P.DAY),
    ("17. november 2010", D(2010, 11, 17), D(2010, 11, 17), P.DAY),
    ("primo 2011", D(2011, 1, 1), D(2011, 4, 30), P.PART_OF_YEAR),
    ("den 1. juli 2010", D(2010, 7, 1), D(2010, 7, 1), P.DAY),
    ("den 9. november 2010", D(2010, 11, 9), D(2010, 11, 9), P.DAY),
    ("november og december 2010", D(2010, 11, 1), D(2010, 12, 31), P.MONTH),
    ("den 25. november 2010", D(2010, 11, 25), D(2010, 11, 25), P.DAY),
    ("fredag den 19. november 2010", D(2010, 11, 19), D(2010, 11, 19), P.DAY),
    ("den 30. november 2010", D(2010, 11, 30), D(2010, 11, 30), P.DAY),
    ("pr. 1. december 2010", D(2010, 12, 1), D(2010, 12, 1), P.DAY),
    ("1. december 2010", D(2010, 12, 1), D(2010, 12, 1), P.DAY),
    ("den 6. december 2010", D(2010, 12, 6), D(2010, 12, 6), P.DAY),
    ("i uge 47", D(2010, 11, 22), D(2010, 11, 28), P.WEEK),
    ("uge 47 2010", D(2010, 11, 22), D(2010, 11, 28), P.WEEK),
    ("den 18. december 2010", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("2011", D(2011, 1, 1), D(2011, 12, 31), P.YEAR),
    ("2010-12-18", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("18/12 2010", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("1. kvartal 2011", D(2011, 1, 1), D(2011, 3, 31), P.QUARTER),
]

ENGLISH_PHRASES = [
    ("17 November 2010", D(2010, 11, 17), D(2010, 11, 17), P.DAY),
    ("November 17, 2010", D(2010, 11, 17), D(2010, 11, 17), P.DAY),
    ("on 17th November 2010", D(2010, 11, 17), D(2010, 11, 17), P.DAY),
    ("mid January 2011", D(2011, 1, 11), D(2011, 1, 20), P.PART_OF_MONTH),
    ("by mid-January 2011", D(2011, 1, 11), D(2011, 1, 20), P.PART_OF_MONTH),
    ("early November 2010", D(2010, 11, 1), D(2010, 11, 10), P.PART_OF_MONTH),
    ("late February 2011", D(2011, 2, 21), D(2011, 2, 28), P.PART_OF_MONTH),
    ("mid December", D(2010, 12, 11), D(2010, 12, 20), P.PART_OF_MONTH),
    ("early 2011", D(2011, 1, 1), D(2011, 4, 30), P.PART_OF_YEAR),
    ("mid 2011", D(2011, 5, 1), D(2011, 8, 31), P.PART_OF_YEAR),
    ("by the end of 2011", D(2011, 9, 1), D(2011, 12, 31), P.PART_OF_YEAR),
    ("week 47 2010", D(2010, 11, 22), D(2010, 11, 28), P.WEEK),
    ("in week 47", D(2010, 11, 22), D(2010, 11, 28), P.WEEK),
    ("2010-W47", D(2010, 11, 22), D(2010, 11, 28), P.WEEK),
    ("Q1 2011", D(2011, 1, 1), D(2011, 3, 31), P.QUARTER),
    ("first quarter of 2011", D(2011, 1, 1), D(2011, 3, 31), P.QUARTER),
    ("1st quarter 2011", D(2011, 1, 1), D(2011, 3, 31), P.QUARTER),
    ("first half of 2011", D(2011, 1, 1), D(2011, 6, 30), P.HALF_YEAR),
    ("H2 2011", D(2011, 7, 1), D(2011, 12, 31), P.HALF_YEAR),
    ("spring 2011", D(2011, 3, 1), D(2011, 5, 31), P.SEASON),
    ("autumn 2010", D(2010, 9, 1), D(2010, 11, 30), P.SEASON),
    ("fall 2010", D(2010, 9, 1), D(2010, 11, 30), P.SEASON),
    ("winter 2010/11", D(2010, 12, 1), D(2011, 2, 28), P.SEASON),
    ("December 2010", D(2010, 12, 1), D(2010, 12, 31), P.MONTH),
    ("July-October 2010", D(2010, 7, 1), D(2010, 10, 31), P.MONTH),
    ("in 2011", D(2011, 1, 1), D(2011, 12, 31), P.YEAR),
]

OTHER_DANISH_PHRASES = [
    ("18/12-2010", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("18/12-10", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("18.12.2010", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("18/12", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("senest 18. dec. 2010", D(2010, 12, 18), D(2010, 12, 18), P.DAY),
    ("  Medio   Januar  2011. ", D(2011, 1, 11), D(2011, 1, 20), P.PART_OF_MONTH),
    ("ultimo februar 2012", D(2012, 2, 21), D(2012, 2, 29), P.PART_OF_MONTH),
    ("begyndelsen af marts 2011", D(2011, 3, 1), D(2011, 3, 10), P.PART_OF_MONTH),
    ("uge 47/2010", D(2010, 11, 22), D(2010, 11, 28), P.WEEK),
    ("første kvartal 2011", D(2011, 1, 1), D(2011, 3, 31), P.QUARTER),
    ("4. kvt. 2011", D(2011, 10, 1), D(2011, 12, 31), P.QUARTER),
    ("1. kvartal", D(2011, 1, 1), D(2011, 3, 31), P.QUARTER),
    ("2. halvår 2011", D(2011, 7, 1), D(2011, 12, 31), P.HALF_YEAR),
    ("sommeren 2011", D(2011, 6, 1), D(2011, 8, 31), P.SEASON),
    ("vinteren 2010", D(2010, 12, 1), D(2011, 2, 28), P.SEASON),
    ("vinteren 2010/2011", D(2010, 12, 1), D(2011, 2, 28), P.SEASON),
    ("foråret", D(2011, 3, 1), D(2011, 5, 31), P.SEASON),
    ("medio 2011", D(2011, 5, 1), D(2011, 8, 31), P.PART_OF_YEAR),
    ("ultimo 2011", D(2011, 9, 1), D(2011, 12, 31), P.PART_OF_YEAR),
    ("12/2010", D(2010, 12, 1), D(2010, 12, 31), P.MONTH),
    ("2010-12", D(2010, 12, 1), D(2010, 12, 31), P.MONTH),
]


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    REPORT_PHRASES + ENGLISH_PHRASES + OTHER_DANISH_PHRASES,
)
def test_parse_due_reads_the_phrase_as_a_range(phrase, start, end, precision):
    due = parse_due(phrase, today=REPORT_DAY)

    assert (due.start, due.end, due.precision) == (start, end, precision)
    assert not due.is_asap


@pytest.mark.parametrize(
    "phrase",
    [
        "snarest muligt",
        "Snarest muligt.",
        "snarest",
        "hurtigst muligt",
        "as soon as possible",
        "ASAP",
    ],
)
def test_parse_due_flags_as_soon_as_possible_without_a_date(phrase):
    due = parse_due(phrase, today=REPORT_DAY)

    assert due == Due(None, None, P.ASAP, is_asap=True)


@pytest.mark.parametrize("phrase", ["", "   "])
def test_parse_due_reads_an_empty_phrase_as_no_due_date(phrase):
    assert parse_due(phrase) == Due(None, None, P.NONE)


@pytest.mark.parametrize(
    ("phrase", "today", "start"),
    [
        # The next occurrence whose end is today or later.
        ("medio december", D(2010, 12, 15), D(2010, 12, 11)),
        ("medio december", D(2010, 12, 21), D(2011, 12, 11)),
        ("18/12", D(2010, 12, 19), D(2011, 12, 18)),
        ("uge 1", D(2010, 12, 30), D(2011, 1, 3)),
        ("uge 53", D(2010, 11, 26), D(2015, 12, 28)),
        ("vinter", D(2011, 1, 15), D(2010, 12, 1)),
        ("29/2", D(2010, 11, 26), D(2012, 2, 29)),
        ("1. kvartal", D(2011, 3, 31), D(2011, 1, 1)),
    ],
)
def test_parse_due_without_a_year_takes_the_next_occurrence(phrase, today, start):
    assert parse_due(phrase, today=today).start == start


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("31. februar 2011", "is not a date in the calendar"),
        ("29. februar 2011", "is not a date in the calendar"),
        ("0/12 2010", "is not a date in the calendar"),
        ("32/12", "is not a date in the calendar"),
        ("13/2011", "has no month 13"),
        ("2010-13-01", "is not a date in the calendar"),
        ("uge 53 2010", "2010 has no week 53"),
        ("uge 54", "between 1 and 53"),
        ("1800", "between 1900 and 2100"),
        ("medio januar 2400", "between 1900 and 2100"),
    ],
)
def test_parse_due_refuses_an_impossible_date_saying_why(phrase, message):
    with pytest.raises(ValidationError) as error:
        parse_due(phrase, today=REPORT_DAY)

    assert message in error.value.messages[0]


MALFORMED = [
    "blah",
    "primo",
    "medio 47",
    "5. kvartal 2011",
    "Q0 2011",
    "3. halvår 2011",
    "oktober-juli 2010",
    "foråret 2010/11",
    "vinteren 2010/12",
    "uge",
    "week forty",
    "2010-12-18-19",
    "17 novembr 2010",
    "i morgen",
    "x" * 101,
    "snart\x00",
    "<script>alert(1)</script>",
    "'; DROP TABLE actions_action; --",
]


@pytest.mark.parametrize("phrase", MALFORMED)
def test_parse_due_refuses_malformed_phrases_listing_the_accepted_forms(phrase):
    with pytest.raises(ValidationError) as error:
        parse_due(phrase, today=REPORT_DAY)

    message = error.value.messages[0]
    assert error.value.code == "invalid_due"
    assert "a week (week 47 2010)" in message
    assert "a quarter (Q1 2011)" in message
    assert "no date yet (as soon as possible)" in message
    assert "\x00" not in message


def test_parse_due_error_gives_danish_examples_in_the_danish_interface():
    with translation.override("da"), pytest.raises(ValidationError) as error:
        parse_due("snart", today=REPORT_DAY)

    message = error.value.messages[0]
    assert "medio januar 2011" in message
    assert "uge 47 2010" in message
    assert "snarest muligt" in message


def test_parse_due_refuses_what_is_not_text():
    with pytest.raises(ValidationError):
        parse_due(2011, today=REPORT_DAY)  # type: ignore[arg-type]


dates = st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31))


def _exact_phrases(day: datetime.date) -> list[str]:
    return [
        f"{day.day}. {DA_MONTHS[day.month]} {day.year}",
        f"{day.day} {EN_MONTHS[day.month]} {day.year}",
        f"{EN_MONTHS[day.month]} {day.day}, {day.year}",
        day.isoformat(),
        f"{day.day}/{day.month} {day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
    ]


@relaxed
@given(day=dates)
def test_parse_due_reads_every_exact_date_in_every_written_form(day):
    for phrase in _exact_phrases(day):
        assert parse_due(phrase) == Due(day, day, P.DAY), phrase


def _period_phrases(day: datetime.date) -> list[str]:
    """Phrases for periods that contain `day`, in both languages."""
    third = min((day.day - 1) // 10, 2)
    year_third = (day.month - 1) // 4
    iso_year, week, _ = day.isocalendar()
    quarter = (day.month - 1) // 3 + 1
    winter_year = day.year if day.month == 12 else day.year - 1
    if day.month in (12, 1, 2):
        season, season_year = "vinteren", winter_year
    else:
        season, season_year = ("foråret", "sommeren", "efteråret")[(day.month - 3) // 3], day.year
    return [
        f"{('primo', 'medio', 'ultimo')[third]} {DA_MONTHS[day.month]} {day.year}",
        f"{('early', 'mid', 'late')[third]} {EN_MONTHS[day.month]} {day.year}",
        f"{DA_MONTHS[day.month]} {day.year}",
        f"uge {week} {iso_year}",
        f"week {week} {iso_year}",
        f"{quarter}. kvartal {day.year}",
        f"Q{quarter} {day.year}",
        f"{1 if day.month <= 6 else 2}. halvår {day.year}",
        f"{season} {season_year}",
        f"{('primo', 'medio', 'ultimo')[year_third]} {day.year}",
        f"{('early', 'mid', 'late')[year_third]} {day.year}",
        str(day.year),
    ]


@relaxed
@given(day=dates)
@example(day=D(2012, 2, 29))
@example(day=D(2010, 1, 3))
def test_a_period_holds_its_day_and_its_canonical_phrase_round_trips(day):
    for phrase in _period_phrases(day):
        due = parse_due(phrase)

        assert due.start <= due.end, phrase
        assert day in due, phrase
        for language in ("da", "en"):
            assert parse_due(format_due(due, language=language)) == due, (phrase, language)


@relaxed
@given(phrase=st.text(max_size=40), today=dates)
@example(phrase="uge 53", today=D(2099, 12, 31))
@example(phrase="29/2", today=D(2099, 3, 1))
def test_parse_due_on_any_text_gives_an_ordered_range_or_a_validation_error(phrase, today):
    try:
        due = parse_due(phrase, today=today)
    except ValidationError:
        return
    if due.start is None:
        assert due.end is None
        assert due.precision in (P.NONE, P.ASAP)
    else:
        assert due.start <= due.end


@relaxed
@given(
    today=dates,
    phrase=st.sampled_from(
        ["medio december", "uge 47", "foråret", "vinter", "1. kvartal", "18/12", "mid May"]
    ),
)
def test_a_phrase_without_a_year_ends_today_or_later(today, phrase):
    due = parse_due(phrase, today=today)

    assert due.end >= today
    assert due.start <= due.end


@pytest.mark.parametrize(
    ("phrase", "assumed"),
    [
        ("medio januar", True),
        ("17. november", True),
        ("uge 47", True),
        ("foråret", True),
        ("medio januar 2011", False),
        ("2010-11-17", False),
        ("17/11-2010", False),
        ("snarest muligt", False),
        ("", False),
        ("ikke en frist", False),
    ],
)
def test_year_assumed_tells_a_phrase_without_its_year(phrase, assumed):
    assert year_assumed(phrase, today=datetime.date(2010, 11, 26)) is assumed
