import datetime
import math

import pytest

from analytics import services
from analytics.models import PatternAlert
from analytics.patterns import detect_pattern_alerts, poisson_upper_tail
from tests.analytics.helpers import at, category_of, make_enquiries

CURRENT_MONDAY = datetime.date(2010, 11, 15)
WEDNESDAY_NOON = at(datetime.date(2010, 11, 17), 12)
PASSWORD = ("midlertidig-adgangskode", "ikke-modtaget")
ACTIVATION = ("aktivering", "fejl")


def naive_tail(x: int, mean: float) -> float:
    return 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(x))


@pytest.mark.parametrize(("x", "mean"), [(10, 2.0), (3, 1.5), (1, 0.5), (5, 5.0), (2, 7.0)])
def test_poisson_tail_matches_the_direct_sum(x, mean):
    assert poisson_upper_tail(x, mean) == pytest.approx(naive_tail(x, mean), rel=1e-9, abs=1e-15)


def test_poisson_tail_handles_large_counts_without_underflow():
    tail = poisson_upper_tail(4000, 3600.0)

    assert 0 < tail < 1e-10
    assert poisson_upper_tail(3500, 3600.0) > 0.9


def week_of(monday_offset: int) -> datetime.date:
    return CURRENT_MONDAY + datetime.timedelta(weeks=monday_offset)


def fill_weeks(support, weekly: dict[int, dict[tuple, int]]) -> None:
    """{week offset from the current week: {(topic, category): count on its Monday}}."""
    for offset, counts in weekly.items():
        for (topic, category), n in counts.items():
            make_enquiries(
                support,
                received_at=at(week_of(offset), 9),
                category=category_of(support, topic, category),
                n=n,
            )


def rebuild(now):
    services.rebuild_topic_shares(week_of(-8), week_of(4), now=now)


def keys(alerts) -> set[str]:
    return {alert.key.split(":")[0] + ":" + str(alert.subject.code) for alert in alerts}


def steady(password: int = 5, activation: int = 20) -> dict:
    return {PASSWORD: password, ACTIVATION: activation}


def test_a_volume_spike_raises_one_alert_for_its_topic_and_category(support):
    fill_weeks(support, {**{w: steady() for w in range(-6, 0)}, 0: steady(password=30)})

    rebuild(WEDNESDAY_NOON)

    alerts = list(PatternAlert.objects.all())
    assert keys(alerts) == {"topic:midlertidig-adgangskode", "category:ikke-modtaget"}
    topic_alert = next(a for a in alerts if a.level == "topic")
    assert topic_alert.kind == PatternAlert.Kind.VOLUME
    assert topic_alert.observed == 30
    assert topic_alert.baseline == 5
    assert topic_alert.week_start == CURRENT_MONDAY
    assert topic_alert.p_value < 1e-6
    assert [week["count"] for week in topic_alert.evidence["weeks"]] == [5] * 6 + [30]
    assert topic_alert.evidence["weeks"][-1]["is_current"]
    assert topic_alert.evidence["share"] == {
        "share": 60.0,
        "baseline_share": 20.0,
        "z": topic_alert.evidence["share"]["z"],
        "fired": True,
    }


def test_a_spike_raises_no_second_alert_while_it_lasts(support):
    fill_weeks(support, {**{w: steady() for w in range(-6, 0)}, 0: steady(password=30)})
    rebuild(WEDNESDAY_NOON)
    make_enquiries(
        support, received_at=at(week_of(0), 10), category=category_of(support, *PASSWORD), n=4
    )

    rebuild(WEDNESDAY_NOON + datetime.timedelta(hours=1))
    rebuild(WEDNESDAY_NOON + datetime.timedelta(days=1))

    alerts = PatternAlert.objects.filter(level="topic")
    assert alerts.count() == 1
    assert alerts.get().observed == 34


def test_a_dismissed_spike_is_not_raised_again_while_it_lasts(support, personas):
    fill_weeks(support, {**{w: steady() for w in range(-6, 0)}, 0: steady(password=30)})
    rebuild(WEDNESDAY_NOON)
    alert = PatternAlert.objects.get(level="topic")
    services.dismiss_alert(
        alert, by=personas["secretariat"], reason="Kendt fejl hos printleverandøren"
    )

    rebuild(WEDNESDAY_NOON + datetime.timedelta(days=2))

    assert PatternAlert.objects.filter(level="topic").count() == 1


def test_a_new_spike_after_a_quiet_week_raises_a_new_alert(support):
    fill_weeks(
        support,
        {
            **{w: steady() for w in range(-6, 0)},
            0: steady(password=30),
            1: steady(),
            2: steady(),
            3: steady(password=30),
        },
    )
    rebuild(WEDNESDAY_NOON)
    first = PatternAlert.objects.get(level="topic")

    # The following week is quiet, but the spike counts as ongoing...
    rebuild(WEDNESDAY_NOON + datetime.timedelta(weeks=1))
    first.refresh_from_db()
    assert first.subsided_on is None
    # ...until a whole ISO week has passed without the test firing.
    rebuild(WEDNESDAY_NOON + datetime.timedelta(weeks=2))
    first.refresh_from_db()
    assert first.subsided_on == datetime.date(2010, 12, 1)

    rebuild(WEDNESDAY_NOON + datetime.timedelta(weeks=3))

    alerts = PatternAlert.objects.filter(level="topic").order_by("raised_at")
    assert alerts.count() == 2
    assert alerts.last().week_start == week_of(3)
    assert alerts.last().subsided_on is None


def test_a_share_spike_without_a_volume_spike_raises_a_share_alert(support):
    weeks = {w: steady(password=30, activation=70) for w in range(-6, 0)}
    fill_weeks(support, {**weeks, 0: steady(password=45, activation=55)})

    rebuild(WEDNESDAY_NOON)

    alert = PatternAlert.objects.get(level="topic")
    assert alert.kind == PatternAlert.Kind.SHARE
    assert alert.evidence["volume"]["fired"] is False
    assert alert.share == 45.0
    assert alert.baseline_share == 30.0
    assert alert.score >= 3


def test_small_numbers_raise_no_alert(support):
    fill_weeks(support, {**{w: steady(password=1) for w in range(-6, 0)}, 0: steady(password=9)})

    rebuild(WEDNESDAY_NOON)

    assert not PatternAlert.objects.exists()


def test_too_short_a_history_raises_no_alert(support):
    fill_weeks(support, {-2: steady(), -1: steady(), 0: steady(password=40)})

    rebuild(WEDNESDAY_NOON)

    assert not PatternAlert.objects.exists()


def test_only_the_weekdays_so_far_are_compared(support):
    # Baseline weeks have 5 on Monday and 40 on Friday; this week so far
    # (Monday to Wednesday) has 9: no more than a normal Monday-to-Wednesday.
    password = category_of(support, *PASSWORD)
    for offset in range(-6, 0):
        make_enquiries(support, received_at=at(week_of(offset), 9), category=password, n=5)
        friday = week_of(offset) + datetime.timedelta(days=4)
        make_enquiries(support, received_at=at(friday, 9), category=password, n=40)
    make_enquiries(support, received_at=at(week_of(0), 9), category=password, n=9)

    rebuild(WEDNESDAY_NOON)

    assert not PatternAlert.objects.exists()
    # With 15 instead, it is three times a normal Monday-to-Wednesday.
    make_enquiries(support, received_at=at(week_of(0), 10), category=password, n=6)
    rebuild(WEDNESDAY_NOON)
    assert PatternAlert.objects.filter(level="topic").exists()


def test_detection_without_snapshots_raises_nothing(support):
    assert detect_pattern_alerts(support.pk, now=WEDNESDAY_NOON) == []
