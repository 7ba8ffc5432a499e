"""Due dates written the way the taskforce's report writes them.

`parse_due("medio januar 2011")` gives the range 2011-01-11..2011-01-20 with
the precision "part of a month". The rules, in Danish and English:

- an exact date: "17. november 2010", "17 November 2010", "November 17,
  2010", "2010-11-17", "17/11 2010", "17/11-2010", "17.11.2010", "17/11";
- a third of a month: primo (days 1-10), medio (11-20), ultimo (21 to the
  end); "early", "mid" and "late" in English, and "begyndelsen/midten/
  slutningen af", "beginning/middle/end of";
- a month: "december 2010", "2010-12"; a span of months "juli-oktober 2010";
- an ISO week, Monday to Sunday: "uge 47 2010", "week 47", "2010-W47";
- a quarter: "1. kvartal 2011", "første kvartal 2011", "Q1 2011";
- a half-year: "1. halvår 2011", "first half of 2011", "H1 2011";
- a meteorological season: spring March-May, summer June-August, autumn
  September-November, winter December to the end of February of the next
  year ("vinteren 2010" and "vinteren 2010/11" are both Dec 2010-Feb 2011);
- a third of a year: "primo 2011" or "early 2011" is January-April, "medio
  2011" May-August, "ultimo 2011" September-December;
- a year: "2011";
- "snarest muligt" or "as soon as possible": no date, flagged ASAP.

Words such as "pr.", "senest", "i", "den", "by", "in" and weekday names in
front are ignored ("pr. 7. oktober 2010", "fredag den 26. november 2010").
A phrase without a year means its next occurrence: the first one whose end
is today or later. An empty phrase means no due date.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from actions.models import Action
from nemid_cases.danish import MONTH_NAMES

Precision = Action.DuePrecision

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_LENGTH = 100

# Month names and abbreviations, Danish and English, to month numbers: the
# Danish names, then the English names and abbreviations that differ.
MONTHS: dict[str, int] = {}
for _number, (_danish, _others) in enumerate(
    zip(
        MONTH_NAMES,
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("apr",),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("aug",),
            ("sept", "sep"),
            ("october", "okt", "oct"),
            ("nov",),
            ("dec",),
        ],
        strict=True,
    ),
    start=1,
):
    for _name in (_danish, *_others):
        MONTHS[_name] = _number

DA_MONTHS = ["", *MONTH_NAMES]
EN_MONTHS = [""] + [calendar.month_name[m] for m in range(1, 13)]

# Thirds of a month (primo/medio/ultimo) by their first day.
PART_OF_MONTH = {"primo": 1, "medio": 2, "ultimo": 3}
PART_WORDS = {
    "primo": "primo",
    "early": "primo",
    "beginning of": "primo",
    "start of": "primo",
    "begyndelsen af": "primo",
    "starten af": "primo",
    "medio": "medio",
    "mid": "medio",
    "middle of": "medio",
    "midten af": "medio",
    "ultimo": "ultimo",
    "late": "ultimo",
    "end of": "ultimo",
    "slutningen af": "ultimo",
    "udgangen af": "ultimo",
}
ORDINALS = {
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
# Seasons: name -> (first month, number of months).
SEASONS = {
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
DA_SEASONS = {3: "foråret", 6: "sommeren", 9: "efteråret", 12: "vinteren"}
EN_SEASONS = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}
ASAP_PHRASES = {
    "snarest muligt",
    "snarest",
    "hurtigst muligt",
    "straks",
    "asap",
    "a.s.a.p",
    "as soon as possible",
}
FILLER = {
    "pr.",
    "pr",
    "per",
    "senest",
    "inden",
    "i",
    "den",
    "d.",
    "by",
    "in",
    "on",
    "the",
    "ca.",
    "ca",
    "cirka",
    "mandag",
    "tirsdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lørdag",
    "søndag",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PART = "(" + "|".join(sorted(PART_WORDS, key=len, reverse=True)) + ")"
_YEAR = r"(?: (?:of |af )?(\d{4}))?"
_ORDINAL = "(" + "|".join(ORDINALS) + ")"

RE_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
RE_ISO_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$")
RE_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
RE_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./ -](\d{4}|\d{2}))?$")
RE_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[./-](\d{4})$")
RE_DAY_MONTH = re.compile(rf"^(\d{{1,2}})\.? {_MONTH}{_YEAR}$")
RE_MONTH_DAY = re.compile(rf"^{_MONTH} (\d{{1,2}}){_YEAR}$")
RE_PART_OF_MONTH = re.compile(rf"^{_PART}[ -]{_MONTH}{_YEAR}$")
RE_MONTH_SPAN = re.compile(rf"^{_MONTH} ?(?:-|til|to|through|og|and) ?{_MONTH}{_YEAR}$")
RE_MONTH = re.compile(rf"^{_MONTH}{_YEAR}$")
RE_WEEK = re.compile(r"^(?:uge|week|wk\.?) ?(\d{1,2})(?:[ /](\d{4}))?$")
RE_QUARTER = re.compile(
    rf"^(?:(\d)\.? ?(?:kvartal|kvt\.?|quarter)|{_ORDINAL} (?:kvartal|quarter)|q ?(\d)"
    rf"|kvartal (\d)){_YEAR}$"
)
RE_YEAR_QUARTER = re.compile(r"^(\d{4})[ -]q(\d)$")
RE_HALF = re.compile(
    rf"^(?:(\d)\.? ?(?:halvår|half-year|half year|half)|{_ORDINAL} (?:halvår|half-year|half)"
    rf"|h(\d)){_YEAR}$"
)
RE_SEASON = re.compile(
    "^(" + "|".join(sorted(SEASONS, key=len, reverse=True)) + r")(?: (?:of )?(\d{4})"
    r"(?:[/-](\d{4}|\d{2}))?)?$"
)
RE_PART_OF_YEAR = re.compile(rf"^{_PART}[ -](\d{{4}})$")
RE_YEAR = re.compile(r"^(\d{4})$")

# What the error message lists: (description, Danish examples, English ones).
ACCEPTED_FORMS = [
    (
        gettext_lazy("an exact date"),
        "17. november 2010, 2010-11-17, 17/11 2010",
        "17 November 2010, 2010-11-17, 17/11 2010",
    ),
    (
        gettext_lazy("primo, medio or ultimo and a month"),
        "medio januar 2011",
        "mid January 2011",
    ),
    (gettext_lazy("a month"), "december 2010", "December 2010"),
    (gettext_lazy("a week"), "uge 47 2010", "week 47 2010"),
    (gettext_lazy("a quarter"), "1. kvartal 2011", "Q1 2011"),
    (gettext_lazy("a half-year"), "1. halvår 2011", "first half of 2011"),
    (gettext_lazy("a season"), "foråret 2011", "spring 2011"),
    (gettext_lazy("primo, medio or ultimo and a year"), "primo 2011", "early 2011"),
    (gettext_lazy("a year"), "2011", "2011"),
    (gettext_lazy("no date yet"), "snarest muligt", "as soon as possible"),
]


@dataclass(frozen=True)
class Due:
    """A parsed due phrase: the range [start, end], its precision, ASAP flag."""

    start: datetime.date | None
    end: datetime.date | None
    precision: str
    is_asap: bool = False

    def __contains__(self, day: datetime.date) -> bool:
        return self.start is not None and self.end is not None and self.start <= day <= self.end


NO_DUE = Due(None, None, Precision.NONE)
ASAP = Due(None, None, Precision.ASAP, is_asap=True)


def accepted_forms_text() -> str:
    """The accepted forms with examples in the active language, for errors."""
    english = (get_language() or "da").startswith("en")
    return "; ".join(f"{label} ({en if english else da})" for label, da, en in ACCEPTED_FORMS)


def _unreadable(phrase: str) -> ValidationError:
    return ValidationError(
        _("“%(phrase)s” is not a due date this system can read. Write one of: %(forms)s."),
        params={"phrase": phrase, "forms": accepted_forms_text()},
        code="invalid_due",
    )


def _normalize(phrase: str) -> str:
    text = phrase.casefold().replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace(",", " ")
    text = re.sub(r"(\d)\.(?=[a-zæøå])", r"\1. ", text)  # "3.januar" -> "3. januar"
    text = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", text)  # "17th" -> "17"
    text = re.sub(r"\s*-\s*", "-", text) if re.search(r"\d\s*-\s*\d", text) else text
    text = " ".join(text.split()).rstrip(".").strip()
    words = text.split(" ")
    while len(words) > 1 and words[0] in FILLER:
        words.pop(0)
    return " ".join(words)


def _year(value: str) -> int:
    year = int(value)
    if len(value) == 2:
        year += 2000
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("Give a year between %(min)s and %(max)s."),
            params={"min": MIN_YEAR, "max": MAX_YEAR},
            code="invalid_due_year",
        )
    return year


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _date(phrase: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("“%(phrase)s” is not a date in the calendar."),
            params={"phrase": phrase},
            code="invalid_due_date",
        ) from None


def _check_month(phrase: str, month: int) -> None:
    if not 1 <= month <= 12:
        raise ValidationError(
            _("“%(phrase)s” has no month %(month)s."),
            params={"phrase": phrase, "month": month},
            code="invalid_due_date",
        )


Builder = Callable[[int], tuple[datetime.date, datetime.date]]


def _resolve(year: str | None, build: Builder, today: datetime.date) -> tuple:
    """The range for an explicit year, or the next occurrence from today."""
    if year:
        return build(_year(year))
    # From last year: a winter or an ISO week 1 may still be running.
    # Within the years an explicit year may name, too.
    for candidate in range(max(today.year - 1, MIN_YEAR), min(today.year + 8, MAX_YEAR + 1)):
        try:
            start, end = build(candidate)
        except ValidationError:
            continue
        if end >= today:
            return start, end
    raise ValidationError(_("This period does not occur in the next years."), code="invalid_due")


def _part_of_month(year: int, month: int, part: str) -> tuple[datetime.date, datetime.date]:
    third = PART_OF_MONTH[part]
    start = datetime.date(year, month, 1 + 10 * (third - 1))
    end = datetime.date(year, month, 10 * third) if third < 3 else _month_end(year, month)
    return start, end


def _week(phrase: str, week: int) -> Builder:
    def build(year: int) -> tuple[datetime.date, datetime.date]:
        try:
            start = datetime.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValidationError(
                _("%(year)s has no week %(week)s."),
                params={"year": year, "week": week},
                code="invalid_due_week",
            ) from None
        return start, start + datetime.timedelta(days=6)

    return build


def _months(first: int, count: int) -> Builder:
    def build(year: int) -> tuple[datetime.date, datetime.date]:
        last_month = first + count - 1
        end_year, end_month = year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
        return datetime.date(year, first, 1), _month_end(end_year, end_month)

    return build


def _ordinal(phrase: str, *values: str | None, highest: int) -> int:
    for value in values:
        if value:
            number = ORDINALS[value] if value in ORDINALS else int(value)
            if 1 <= number <= highest:
                return number
            break
    raise _unreadable(phrase)


def year_assumed(phrase: str, *, today: datetime.date | None = None) -> bool:
    """Whether the phrase names no year, so that its next occurrence was taken.

    True when the same phrase read two years later gives another range.
    """
    today = today or timezone.localdate()
    try:
        now = parse_due(phrase, today=today)
        later = parse_due(phrase, today=today + datetime.timedelta(days=731))
    except ValidationError:
        return False
    return (now.start, now.end) != (later.start, later.end)


Reader = Callable[[re.Match[str], str, datetime.date], Due]


def _check_day(phrase: str, day: int, month: int) -> None:
    """Refuse a day the month never has (29 February passes: leap years)."""
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise _date_error(phrase)


def _read_iso_date(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    year, month, day = match.groups()
    day_ = _date(phrase, _year(year), int(month), int(day))
    return Due(day_, day_, Precision.DAY)


def _read_iso_week(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    start, end = _week(phrase, int(match[2]))(_year(match[1]))
    return Due(start, end, Precision.WEEK)


def _read_year_month(year: str, month: str, phrase: str) -> Due:
    _check_month(phrase, int(month))
    start, end = _months(int(month), 1)(_year(year))
    return Due(start, end, Precision.MONTH)


def _read_iso_month(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    return _read_year_month(match[1], match[2], phrase)


def _read_numeric_month(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    return _read_year_month(match[2], match[1], phrase)


def _read_day(day: int, month: int, year: str | None, phrase: str, today: datetime.date) -> Due:
    _check_day(phrase, day, month)
    start, end = _resolve(year, lambda y: (_date(phrase, y, month, day),) * 2, today)
    return Due(start, end, Precision.DAY)


def _read_numeric_date(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    day, month, year = int(match[1]), int(match[2]), match[3]
    _check_month(phrase, month)
    return _read_day(day, month, year, phrase, today)


def _read_day_month(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    return _read_day(int(match[1]), MONTHS[match[2]], match[3], phrase, today)


def _read_month_day(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    return _read_day(int(match[2]), MONTHS[match[1]], match[3], phrase, today)


def _read_part_of_month(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    part, month = PART_WORDS[match[1]], MONTHS[match[2]]
    start, end = _resolve(match[3], lambda y: _part_of_month(y, month, part), today)
    return Due(start, end, Precision.PART_OF_MONTH)


def _read_month_span(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    first, last = MONTHS[match[1]], MONTHS[match[2]]
    if last <= first:
        raise _unreadable(phrase)
    start, end = _resolve(match[3], _months(first, last - first + 1), today)
    return Due(start, end, Precision.MONTH)


def _read_month(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    start, end = _resolve(match[2], _months(MONTHS[match[1]], 1), today)
    return Due(start, end, Precision.MONTH)


def _read_week(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    week = int(match[1])
    if not 1 <= week <= 53:
        raise ValidationError(_("A week number is between 1 and 53."), code="invalid_due_week")
    start, end = _resolve(match[2], _week(phrase, week), today)
    return Due(start, end, Precision.WEEK)


def _quarter(quarter: int, year: str | None, today: datetime.date) -> Due:
    start, end = _resolve(year, _months(3 * quarter - 2, 3), today)
    return Due(start, end, Precision.QUARTER)


def _read_quarter(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    quarter = _ordinal(phrase, match[1], match[2], match[3], match[4], highest=4)
    return _quarter(quarter, match[5], today)


def _read_year_quarter(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    return _quarter(_ordinal(phrase, match[2], highest=4), match[1], today)


def _read_half(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    half = _ordinal(phrase, match[1], match[2], match[3], highest=2)
    start, end = _resolve(match[4], _months(6 * half - 5, 6), today)
    return Due(start, end, Precision.HALF_YEAR)


def _read_season(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    first = SEASONS[match[1]]
    year, second_year = match[2], match[3]
    # Only a winter spans two years, and the second must follow the first.
    if second_year and (first != 12 or _year(second_year[-2:]) % 100 != (int(year) + 1) % 100):
        raise _unreadable(phrase)
    start, end = _resolve(year, _months(first, 3), today)
    return Due(start, end, Precision.SEASON)


def _read_part_of_year(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    third = PART_OF_MONTH[PART_WORDS[match[1]]]
    start, end = _months(4 * third - 3, 4)(_year(match[2]))
    return Due(start, end, Precision.PART_OF_YEAR)


def _read_year(match: re.Match[str], phrase: str, today: datetime.date) -> Due:
    year = _year(match[1])
    return Due(datetime.date(year, 1, 1), datetime.date(year, 12, 31), Precision.YEAR)


# The forms parse_due reads, each with its reader, tried in this order; the
# first that matches decides, and its reader returns a Due or raises.
READERS: list[tuple[re.Pattern[str], Reader]] = [
    (RE_ISO_DATE, _read_iso_date),
    (RE_ISO_WEEK, _read_iso_week),
    (RE_ISO_MONTH, _read_iso_month),
    (RE_NUMERIC_MONTH, _read_numeric_month),
    (RE_NUMERIC_DATE, _read_numeric_date),
    (RE_DAY_MONTH, _read_day_month),
    (RE_MONTH_DAY, _read_month_day),
    (RE_PART_OF_MONTH, _read_part_of_month),
    (RE_MONTH_SPAN, _read_month_span),
    (RE_MONTH, _read_month),
    (RE_WEEK, _read_week),
    (RE_QUARTER, _read_quarter),
    (RE_YEAR_QUARTER, _read_year_quarter),
    (RE_HALF, _read_half),
    (RE_SEASON, _read_season),
    (RE_PART_OF_YEAR, _read_part_of_year),
    (RE_YEAR, _read_year),
]


def parse_due(phrase: str, *, today: datetime.date | None = None) -> Due:
    """Read a due phrase; raise a translated ValidationError listing the forms.

    See the module docstring for the rules.
    """
    if not isinstance(phrase, str):
        raise _unreadable(str(phrase))
    phrase = phrase.strip()
    if not phrase:
        return NO_DUE
    if len(phrase) > MAX_LENGTH or "\x00" in phrase:
        raise _unreadable(phrase.replace("\x00", "")[:MAX_LENGTH])
    today = today or timezone.localdate()
    text = _normalize(phrase)
    if text in ASAP_PHRASES:
        return ASAP
    for pattern, read in READERS:
        if match := pattern.match(text):
            return read(match, phrase, today)
    raise _unreadable(phrase)


def _date_error(phrase: str) -> ValidationError:
    return ValidationError(
        _("“%(phrase)s” is not a date in the calendar."),
        params={"phrase": phrase},
        code="invalid_due_date",
    )


def _part_name(index: int, english: bool) -> str:
    part = ("primo", "medio", "ultimo")[index]
    return {"primo": "early", "medio": "mid", "ultimo": "late"}[part] if english else part


def _format_day(start: datetime.date, end: datetime.date, english: bool) -> str:
    if english:
        return f"{start.day} {EN_MONTHS[start.month]} {start.year}"
    return f"{start.day}. {DA_MONTHS[start.month]} {start.year}"


def _format_part_of_month(start: datetime.date, end: datetime.date, english: bool) -> str:
    months = EN_MONTHS if english else DA_MONTHS
    return f"{_part_name(min(start.day // 10, 2), english)} {months[start.month]} {start.year}"


def _format_week(start: datetime.date, end: datetime.date, english: bool) -> str:
    year, week, _weekday = start.isocalendar()
    return f"week {week} {year}" if english else f"uge {week} {year}"


def _format_month(start: datetime.date, end: datetime.date, english: bool) -> str:
    months = EN_MONTHS if english else DA_MONTHS
    if start.month == end.month:
        return f"{months[start.month]} {start.year}"
    return f"{months[start.month]}-{months[end.month]} {start.year}"


def _format_quarter(start: datetime.date, end: datetime.date, english: bool) -> str:
    quarter = (start.month - 1) // 3 + 1
    return f"Q{quarter} {start.year}" if english else f"{quarter}. kvartal {start.year}"


def _format_half_year(start: datetime.date, end: datetime.date, english: bool) -> str:
    half = 1 if start.month == 1 else 2
    if english:
        return f"{('first', 'second')[half - 1]} half of {start.year}"
    return f"{half}. halvår {start.year}"


def _format_season(start: datetime.date, end: datetime.date, english: bool) -> str:
    name = (EN_SEASONS if english else DA_SEASONS)[start.month]
    if start.month == 12:
        return f"{name} {start.year}/{(start.year + 1) % 100:02d}"
    return f"{name} {start.year}"


def _format_part_of_year(start: datetime.date, end: datetime.date, english: bool) -> str:
    return f"{_part_name((start.month - 1) // 4, english)} {start.year}"


def _format_year(start: datetime.date, end: datetime.date, english: bool) -> str:
    return str(start.year)


FORMATTERS: dict[str, Callable[[datetime.date, datetime.date, bool], str]] = {
    Precision.DAY: _format_day,
    Precision.PART_OF_MONTH: _format_part_of_month,
    Precision.WEEK: _format_week,
    Precision.MONTH: _format_month,
    Precision.QUARTER: _format_quarter,
    Precision.HALF_YEAR: _format_half_year,
    Precision.SEASON: _format_season,
    Precision.PART_OF_YEAR: _format_part_of_year,
    Precision.YEAR: _format_year,
}


def format_due(due: Due, *, language: str | None = None) -> str:
    """The canonical phrase for a parsed due date, in Danish or English.

    `parse_due(format_due(due)) == due` for every due date parse_due gives.
    """
    english = (language or get_language() or "da").startswith("en")
    start, end, precision = due.start, due.end, due.precision
    if precision == Precision.ASAP:
        return "as soon as possible" if english else "snarest muligt"
    formatter = FORMATTERS.get(precision)
    if start is None or end is None or formatter is None:
        return ""
    return formatter(start, end, english)
