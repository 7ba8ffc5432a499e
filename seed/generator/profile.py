"""The numbers of the report's profile and the arithmetic that makes them exact.

The numbers are in seed/data/report_profile.json; the arithmetic is here.

The report (July-October 2010) gives 216,000 support enquiries with five
named topic shares, 126 letters to the ministry with five named shares of
topic mentions, and "about 217,500" enquiries and press items in all. The
functions here turn shares printed to one decimal into whole counts whose
shares round back to exactly those figures, at any scale.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from seed.files import date, read

_PROFILE = read("report_profile.json")
PERIOD_START = date(_PROFILE["period"]["start"])
PERIOD_END = date(_PROFILE["period"]["end"])
# The report does not date the surge in calls; it followed the mass mailing
# of welcome letters to net-bank customers, assumed here to start on this day.
WELCOME_LETTER_WAVE = date(_PROFILE["welcome_letter_wave"])


def _shares(named: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(percent) for key, percent in named.items()}


SUPPORT_ENQUIRIES: int = _PROFILE["support"]["enquiries"]
SUPPORT_NAMED_SHARES = _shares(_PROFILE["support"]["named_shares"])
# The other support enquiries, each topic below the fifth share.
SUPPORT_OTHER_WEIGHTS: dict[str, float] = _PROFILE["support"]["other_weights"]

MINISTRY_LETTERS: int = _PROFILE["ministry"]["letters"]
# No whole number of single-topic letters out of 126 gives the report's
# shares; 187 topic mentions (a letter raises one to three topics) do.
MINISTRY_MENTIONS: int = _PROFILE["ministry"]["mentions"]
MINISTRY_NAMED_SHARES = _shares(_PROFILE["ministry"]["named_shares"])
MINISTRY_OTHER_WEIGHTS: dict[str, float] = _PROFILE["ministry"]["other_weights"]

# 217,500 - 216,000 - 126: the press items that complete the report's total.
PRESS_ITEMS: int = _PROFILE["press"]["items"]
PRESS_WEIGHTS: dict[str, float] = _PROFILE["press"]["weights"]

HALF_A_TENTH = Decimal("0.05")


def share(count: int, total: int) -> Decimal:
    """A percentage rounded half up to one decimal, as the report prints it."""
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _reproduces(count: int, total: int, percent: Decimal) -> bool:
    # Strictly inside the rounding interval, so any rounding rule agrees.
    return abs(Decimal(count) * 100 / Decimal(total) - percent) < HALF_A_TENTH


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights`; the parts sum to `total`."""
    weight_sum = sum(weights.values())
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: math.floor(value) for key, value in exact.items()}
    short = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[:short]:
        counts[key] += 1
    return counts


def exact_counts(total: int, named: dict[str, Decimal], others: dict[str, float]) -> dict[str, int]:
    """Counts that sum to `total` and reproduce the named shares exactly.

    Every other key gets a share that rounds below the smallest named one.
    Raises ValueError when `total` is too small to be that precise.
    """
    counts: dict[str, int] = {}
    for key, percent in named.items():
        nearest = int((percent * total / 100).to_integral_value(ROUND_HALF_UP))
        for candidate in (nearest, nearest - 1, nearest + 1):
            if candidate >= 0 and _reproduces(candidate, total, percent):
                counts[key] = candidate
                break
        else:
            raise ValueError(f"{total} is too small to give {key} exactly {percent} %.")
    rest = total - sum(counts.values())
    if rest < 0:
        raise ValueError(f"The named shares exceed {total}.")
    ceiling = min(named.values()) - HALF_A_TENTH
    spread = largest_remainder(rest, others)
    for key, count in spread.items():
        if Decimal(count) * 100 / Decimal(total) >= ceiling:
            raise ValueError(f"{key} would reach the share of a named topic at {total}.")
    return counts | spread


def topics_per_letter(letters: int, mentions: int) -> list[int]:
    """How many topics each letter raises (1-3), summing to `mentions`."""
    extra = mentions - letters
    if extra < 0 or extra > 2 * letters:
        raise ValueError("Each letter raises one to three topics.")
    threes = min(extra // 5, letters)
    twos = extra - 2 * threes
    ones = letters - twos - threes
    if ones < 0:
        threes, twos = extra - letters, 2 * letters - extra
        ones = 0
    return [3] * threes + [2] * twos + [1] * ones


def assign_mentions(sizes: list[int], mentions: dict[str, int]) -> list[list[str]]:
    """Give each letter `sizes[i]` distinct topics using up `mentions` exactly.

    Filling the largest letters first from the most-mentioned topics is the
    constructive proof of the Gale-Ryser theorem: it succeeds whenever any
    assignment exists.
    """
    if sum(sizes) != sum(mentions.values()):
        raise ValueError("The letters' sizes must add up to the mentions.")
    remaining = dict(mentions)
    order = sorted(range(len(sizes)), key=lambda i: sizes[i], reverse=True)
    letters: list[list[str]] = [[] for _ in sizes]
    for index in order:
        ranked = sorted(remaining, key=lambda key: remaining[key], reverse=True)
        chosen = [key for key in ranked[: sizes[index]] if remaining[key] > 0]
        if len(chosen) != sizes[index]:
            raise ValueError("The mentions cannot be spread over the letters.")
        for key in chosen:
            remaining[key] -= 1
        letters[index] = chosen
    return letters


@dataclass(frozen=True)
class Volumes:
    """How many of each kind one run creates, with the topic counts."""

    support: dict[str, int]
    ministry_letters: int
    ministry_mentions: dict[str, int]
    press: dict[str, int]

    @property
    def support_total(self) -> int:
        return sum(self.support.values())

    @property
    def press_total(self) -> int:
        return sum(self.press.values())

    @property
    def total(self) -> int:
        return self.support_total + self.ministry_letters + self.press_total


def report_volumes(scale: float = 1.0, support_count: int | None = None) -> Volumes:
    """The report's volumes multiplied by `scale` (or a given support count).

    The ministry's letters scale only upwards: fewer than the report's 126
    cannot reproduce its table, and they cost nothing to generate.
    """
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    support_total = support_count or round(SUPPORT_ENQUIRIES * scale)
    factor = support_total / SUPPORT_ENQUIRIES
    letter_factor = max(factor, 1.0)
    letters = round(MINISTRY_LETTERS * letter_factor)
    mentions = round(MINISTRY_MENTIONS * letter_factor)
    return Volumes(
        support=exact_counts(support_total, SUPPORT_NAMED_SHARES, SUPPORT_OTHER_WEIGHTS),
        ministry_letters=letters,
        ministry_mentions=exact_counts(mentions, MINISTRY_NAMED_SHARES, MINISTRY_OTHER_WEIGHTS),
        press=largest_remainder(max(round(PRESS_ITEMS * factor), 1), PRESS_WEIGHTS),
    )


def period_days() -> list[datetime.date]:
    days = (PERIOD_END - PERIOD_START).days + 1
    return [PERIOD_START + datetime.timedelta(days=n) for n in range(days)]


# Support staff rose from 60 in July to 270 in November (the report).
STAFF_JULY: int = _PROFILE["staff"]["july"]
STAFF_NOVEMBER: int = _PROFILE["staff"]["november"]
STAFF_FULL_ON = date(_PROFILE["staff"]["full_on"])

# Monday first: weekday peaks, quiet weekends (the phones close early).
WEEKDAY_FACTOR = (1.25, 1.15, 1.1, 1.05, 0.9, 0.3, 0.22)


def support_day_weight(day: datetime.date) -> float:
    """Relative call volume on `day`: launch rush, growth, letter surge."""
    since_launch = (day - PERIOD_START).days
    span = (PERIOD_END - PERIOD_START).days
    growth = 1.0 + 1.4 * since_launch / span
    launch = 1.0 + 1.2 * math.exp(-since_launch / 4)
    surge = 1.0
    if day >= WELCOME_LETTER_WAVE:
        surge += 1.3 * math.exp(-(day - WELCOME_LETTER_WAVE).days / 9)
    return growth * launch * surge * WEEKDAY_FACTOR[day.weekday()]


def letter_day_weight(day: datetime.date) -> float:
    """Letters and press follow attention: a launch wave and the autumn."""
    since_launch = (day - PERIOD_START).days
    business = 1.0 if day.weekday() < 5 else 0.1
    return business * (1.0 + 0.6 * math.exp(-since_launch / 10) + since_launch / 60)


def per_day(total: int, weight) -> list[int]:
    """Spread `total` over the period's days in proportion to `weight(day)`."""
    days = period_days()
    counts = largest_remainder(total, {str(n): weight(day) for n, day in enumerate(days)})
    return [counts[str(n)] for n in range(len(days))]
