"""The arithmetic behind the report profile's exact shares (no database)."""

from decimal import Decimal

import pytest

from seed.generator.profile import (
    MINISTRY_NAMED_SHARES,
    MINISTRY_OTHER_WEIGHTS,
    SUPPORT_NAMED_SHARES,
    assign_mentions,
    exact_counts,
    per_day,
    period_days,
    report_volumes,
    share,
    support_day_weight,
    topics_per_letter,
)


def test_report_profile_has_the_reports_support_counts():
    volumes = report_volumes()

    assert volumes.support_total == 216_000
    assert {code: volumes.support[code] for code in SUPPORT_NAMED_SHARES} == {
        "midlertidig-adgangskode": 66_744,
        "generelle-spoergsmaal": 40_176,
        "aktivering": 37_584,
        "bestilling": 25_488,
        "glemt-adgangskode": 11_016,
    }
    assert volumes.total == 217_500


def test_report_profile_spreads_187_ministry_mentions_as_the_report_prints():
    volumes = report_volumes()

    assert volumes.ministry_letters == 126
    assert sum(volumes.ministry_mentions.values()) == 187
    assert [volumes.ministry_mentions[code] for code in MINISTRY_NAMED_SHARES] == [
        41,
        32,
        28,
        19,
        17,
    ]
    others = [volumes.ministry_mentions[code] for code in MINISTRY_OTHER_WEIGHTS]
    assert sum(others) == 50
    assert all(share(count, 187) < Decimal("9.1") for count in others)


@pytest.mark.parametrize("scale", [0.01, 0.02, 1, 4.6, 46.3])
def test_shares_stay_exact_at_every_scale(scale):
    volumes = report_volumes(scale)

    for code, percent in SUPPORT_NAMED_SHARES.items():
        assert share(volumes.support[code], volumes.support_total) == percent
    mentions = sum(volumes.ministry_mentions.values())
    for code, percent in MINISTRY_NAMED_SHARES.items():
        assert share(volumes.ministry_mentions[code], mentions) == percent
    smallest_named = min(SUPPORT_NAMED_SHARES.values())
    for code, count in volumes.support.items():
        if code not in SUPPORT_NAMED_SHARES:
            assert share(count, volumes.support_total) < smallest_named


def test_scale_multiplies_the_volume_but_never_goes_below_126_letters():
    assert report_volumes(4.6).support_total == 993_600
    assert report_volumes(4.6).ministry_letters == 580
    assert report_volumes(0.02).ministry_letters == 126


def test_exact_counts_refuses_a_total_too_small_for_one_decimal():
    with pytest.raises(ValueError, match="too small"):
        exact_counts(50, SUPPORT_NAMED_SHARES, {"other": 1.0})


def test_letters_raise_distinct_topics_that_use_up_every_mention():
    mentions = report_volumes().ministry_mentions
    sizes = topics_per_letter(126, 187)

    letters = assign_mentions(sizes, mentions)

    assert len(letters) == 126
    assert all(len(set(topics)) == len(topics) for topics in letters)
    used = {}
    for topics in letters:
        for code in topics:
            used[code] = used.get(code, 0) + 1
    assert used == {code: count for code, count in mentions.items() if count}


def test_days_add_up_and_weekdays_are_busier_than_weekends():
    counts = per_day(216_000, support_day_weight)
    days = period_days()

    assert sum(counts) == 216_000
    assert days[0].isoformat() == "2010-07-01" and days[-1].isoformat() == "2010-10-31"
    weekday = [c for c, d in zip(counts, days, strict=True) if d.weekday() < 5]
    weekend = [c for c, d in zip(counts, days, strict=True) if d.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 2 * sum(weekend) / len(weekend)
    october = sum(c for c, d in zip(counts, days, strict=True) if d.month == 10)
    august = sum(c for c, d in zip(counts, days, strict=True) if d.month == 8)
    assert october > august
