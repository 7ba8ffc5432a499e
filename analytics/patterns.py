"""Pattern alerts: topics and categories whose week departs from the baseline.

This ISO week so far (Monday up to today, Copenhagen days) is compared with
the same weekdays of each of the trailing BASELINE_WEEKS weeks, on the day
snapshots of the configured basis (settings.ANALYTICS_ALERTS):

- volume: x this week against a Poisson with the baseline mean mu (at least
  MIN_EXPECTED); fires when P(X >= x) <= P_VALUE, x >= MIN_VOLUME and
  x >= MIN_RATIO * mu. The ratio guard keeps large, overdispersed counts
  from firing on small relative changes.
- share: the share x/N against the pooled baseline share p0 with the
  binomial z = (x/N - p0) / sqrt(p0 (1 - p0) / N); fires when z >= SHARE_Z,
  the rise is at least MIN_SHARE_POINTS percentage points and x >= MIN_VOLUME.

Weeks in which the queue had nothing are left out of the baseline, and at
least MIN_BASELINE_WEEKS weeks with data are needed. One alert per spike:
see PatternAlert.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import TruncWeek

from analytics.models import Granularity, Level, PatternAlert, TopicShare
from analytics.periods import bucket_label, local_day, week_start

DEFAULTS: dict[str, Any] = {
    "BASIS": "mention",
    "BASELINE_WEEKS": 6,
    "MIN_BASELINE_WEEKS": 3,
    "MIN_VOLUME": 10,
    "P_VALUE": 0.001,
    "MIN_RATIO": 1.5,
    "MIN_EXPECTED": 0.5,
    "SHARE_Z": 3.0,
    "MIN_SHARE_POINTS": 5.0,
}


def alert_settings() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "ANALYTICS_ALERTS", {})}


def poisson_upper_tail(x: int, mean: float) -> float:
    """P(X >= x) for X ~ Poisson(mean), summed in log space (no underflow)."""
    if x <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    log_mean = math.log(mean)

    def log_pmf(k: int) -> float:
        return -mean + k * log_mean - math.lgamma(k + 1)

    if x > mean:
        # Terms fall from k = x upward; sum them relative to the first.
        total, term, k = 1.0, 1.0, x
        while term > 1e-17 * total:
            k += 1
            term *= mean / k
            total += term
        return min(1.0, math.exp(log_pmf(x) + math.log(total)))
    # Below the mean: 1 - P(X <= x - 1), summed downward from x - 1.
    total, term, k = 1.0, 1.0, x - 1
    while k > 0 and term > 1e-17 * total:
        term *= k / mean
        k -= 1
        total += term
    return max(0.0, 1.0 - math.exp(log_pmf(x - 1) + math.log(total)))


@dataclass(frozen=True)
class Finding:
    """A topic or category whose week departs from its baseline."""

    key: str
    level: str
    topic_id: int
    category_id: int | None
    kind: str
    observed: int
    baseline: float
    score: float
    p_value: float
    share: float
    baseline_share: float | None
    evidence: dict


def _weeks_evidence(
    weeks: list[datetime.date], counts: list[int], totals: list[int]
) -> list[dict[str, Any]]:
    return [
        {
            "start": week.isoformat(),
            "label": bucket_label(Granularity.WEEK, week),
            "count": count,
            "total": total,
            "share": round(100 * count / total, 1) if total else 0.0,
            "is_current": index == len(weeks) - 1,
        }
        for index, (week, count, total) in enumerate(zip(weeks, counts, totals, strict=True))
    ]


def _share_test(
    share: float, pooled: float, *, week_total: int, big_enough: bool, params: dict
) -> tuple[float | None, bool]:
    """(z, fired) of this week's share against the baseline's pooled share.

    No test (None, False) when the baseline's share is 0 or 1.
    """
    if not 0 < pooled < 1:
        return None, False
    share_z = (share - pooled) / math.sqrt(pooled * (1 - pooled) / week_total)
    fired = (
        big_enough
        and share_z >= params["SHARE_Z"]
        and (share - pooled) * 100 >= params["MIN_SHARE_POINTS"]
    )
    return share_z, fired


def evaluate(
    counts: list[int], totals: list[int], *, weeks: list[datetime.date], params: dict
) -> tuple[bool, bool, dict]:
    """Run both tests on a weekly series (the last entry is this week)."""
    observed, week_total = counts[-1], totals[-1]
    baseline = [(c, t) for c, t in zip(counts[:-1], totals[:-1], strict=True) if t > 0]
    evidence: dict[str, Any] = {"weeks": _weeks_evidence(weeks, counts, totals)}
    if len(baseline) < params["MIN_BASELINE_WEEKS"] or week_total == 0:
        return False, False, evidence
    mean = sum(c for c, _t in baseline) / len(baseline)
    expected = max(mean, params["MIN_EXPECTED"])
    p_value = poisson_upper_tail(observed, expected)
    z = (observed - expected) / math.sqrt(expected)
    big_enough = observed >= params["MIN_VOLUME"]
    volume_fired = (
        big_enough and p_value <= params["P_VALUE"] and observed >= params["MIN_RATIO"] * mean
    )
    share = observed / week_total
    pooled = sum(c for c, _t in baseline) / sum(t for _c, t in baseline)
    share_z, share_fired = _share_test(
        share, pooled, week_total=week_total, big_enough=big_enough, params=params
    )
    evidence["volume"] = {
        "observed": observed,
        "baseline_mean": round(mean, 3),
        "expected": round(expected, 3),
        "p_value": p_value,
        "z": round(z, 3),
        "fired": volume_fired,
    }
    evidence["share"] = {
        "share": round(100 * share, 1),
        "baseline_share": round(100 * pooled, 1),
        "z": None if share_z is None else round(share_z, 3),
        "fired": share_fired,
    }
    return volume_fired, share_fired, evidence


Series = dict[tuple[str, int, int | None], list[int]]


def _weekly_counts(
    queue_id: int, *, weeks: list[datetime.date], today: datetime.date, params: dict
) -> tuple[dict[str, list[int]], Series]:
    """(all mentions per level, mentions per topic or category), one per week."""
    rows = (
        TopicShare.objects.filter(
            queue_id=queue_id,
            granularity=Granularity.DAY,
            basis=params["BASIS"],
            period_start__gte=weeks[0],
            period_start__lte=today,
            # The same weekdays in every week: Monday up to today's weekday.
            period_start__iso_week_day__lte=today.isoweekday(),
        )
        .annotate(week=TruncWeek("period_start"))
        .values("week", "level", "topic_id", "category_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    index = {week: i for i, week in enumerate(weeks)}
    totals: dict[str, list[int]] = {level: [0] * len(weeks) for level in Level.values}
    series: Series = defaultdict(lambda: [0] * len(weeks))
    for row in rows:
        week = row["week"]
        week = week.date() if isinstance(week, datetime.datetime) else week
        i, level = index[week], row["level"]
        totals[level][i] += row["n"]
        if level == Level.TOPIC and row["topic_id"] is not None:
            series[(level, row["topic_id"], None)][i] += row["n"]
        elif level == Level.CATEGORY and row["category_id"] is not None:
            series[(level, row["topic_id"], row["category_id"])][i] += row["n"]
    return totals, series


def _finding(
    level: str,
    topic_id: int,
    category_id: int | None,
    counts: list[int],
    evidence: dict,
    *,
    volume_fired: bool,
) -> Finding:
    volume, share = evidence["volume"], evidence["share"]
    return Finding(
        key=f"{level}:{category_id if level == Level.CATEGORY else topic_id}",
        level=level,
        topic_id=topic_id,
        category_id=category_id,
        kind=PatternAlert.Kind.VOLUME if volume_fired else PatternAlert.Kind.SHARE,
        observed=counts[-1],
        baseline=volume["baseline_mean"],
        score=volume["z"] if volume_fired else share["z"],
        p_value=volume["p_value"],
        share=share["share"],
        baseline_share=share["baseline_share"],
        evidence=evidence,
    )


def find_patterns(queue_id: int, *, today: datetime.date) -> list[Finding]:
    """Evaluate every topic and category of a queue for the week of `today`."""
    params = alert_settings()
    current = week_start(today)
    weeks = [
        current - datetime.timedelta(weeks=back) for back in range(params["BASELINE_WEEKS"], -1, -1)
    ]
    totals, series = _weekly_counts(queue_id, weeks=weeks, today=today, params=params)
    findings = []
    for (level, topic_id, category_id), counts in sorted(series.items(), key=str):
        if counts[-1] < params["MIN_VOLUME"]:
            continue
        volume_fired, share_fired, evidence = evaluate(
            counts, totals[level], weeks=weeks, params=params
        )
        if not (volume_fired or share_fired):
            continue
        evidence["method"] = {
            "basis": params["BASIS"],
            "through": today.isoformat(),
            "baseline_weeks": params["BASELINE_WEEKS"],
        }
        findings.append(
            _finding(level, topic_id, category_id, counts, evidence, volume_fired=volume_fired)
        )
    return findings


def detect_pattern_alerts(queue_id: int, *, now: datetime.datetime) -> list[PatternAlert]:
    """Raise one alert per new spike in the queue; returns the new alerts.

    An active alert whose test has not fired for a whole ISO week subsides
    first; a spike that still has an active alert only refreshes it (its
    evidence, if still open). Call under the queue lock (recompute does).
    """
    today = local_day(now)
    previous_week = week_start(today) - datetime.timedelta(weeks=1)
    active = PatternAlert.objects.filter(queue_id=queue_id).active()
    active.filter(last_detected_on__lt=previous_week).update(subsided_on=today)
    ongoing = {alert.key: alert for alert in active}
    created, refreshed = [], []
    for finding in find_patterns(queue_id, today=today):
        alert = ongoing.get(finding.key)
        if alert is None:
            created.append(
                PatternAlert(
                    queue_id=queue_id,
                    level=finding.level,
                    topic_id=finding.topic_id,
                    category_id=finding.category_id,
                    key=finding.key,
                    kind=finding.kind,
                    week_start=week_start(today),
                    observed=finding.observed,
                    baseline=finding.baseline,
                    score=finding.score,
                    p_value=finding.p_value,
                    share=finding.share,
                    baseline_share=finding.baseline_share,
                    evidence=finding.evidence,
                    raised_at=now,
                    last_detected_on=today,
                )
            )
            continue
        alert.last_detected_on = today
        if alert.is_open:
            alert.observed, alert.baseline = finding.observed, finding.baseline
            alert.score, alert.p_value = finding.score, finding.p_value
            alert.share, alert.baseline_share = finding.share, finding.baseline_share
            alert.evidence = finding.evidence
        refreshed.append(alert)
    PatternAlert.objects.bulk_update(
        refreshed,
        [
            "last_detected_on",
            "observed",
            "baseline",
            "score",
            "p_value",
            "share",
            "baseline_share",
            "evidence",
        ],
    )
    return PatternAlert.objects.bulk_create(created)
