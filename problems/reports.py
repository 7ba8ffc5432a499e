"""Enquiries and citizens affected by known problems over time, for the
dashboard and the report: one query, whatever the number of periods."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Trunc

from analytics.periods import REPORTING_TZ, as_local_date, bucket_starts
from problems.models import KnownProblem, KnownProblemLink


@dataclass(frozen=True)
class Affected:
    """One day, week or month: the enquiries received in it that are linked
    to a known problem and their citizens, with running totals from the
    first bucket (a citizen is counted once, in the bucket first seen)."""

    start: datetime.date
    enquiries: int
    citizens: int
    total_enquiries: int
    total_citizens: int


def affected_over_time(
    cohort: QuerySet, interval: str, first: datetime.date, last: datetime.date
) -> list[Affected]:
    """Every day/week/month bucket overlapping [first, last], with the
    linked enquiries of `cohort` received in it (Copenhagen days).

    One GROUP BY over the links; the cohort is a subquery, never fetched. A
    citizen is new in a bucket when none of their linked enquiries of the
    cohort was received before; the running totals add the buckets up.
    """
    cohort_ids = cohort.order_by().values("pk")
    links = KnownProblemLink.objects.filter(enquiry__in=cohort_ids)
    earlier = links.filter(enquiry__citizen=OuterRef("enquiry__citizen")).filter(
        Q(enquiry__received_at__lt=OuterRef("enquiry__received_at"))
        | Q(
            enquiry__received_at=OuterRef("enquiry__received_at"),
            enquiry_id__lt=OuterRef("enquiry_id"),
        )
    )
    rows = (
        links.annotate(bucket=Trunc("enquiry__received_at", interval, tzinfo=REPORTING_TZ))
        .values("bucket")
        .annotate(
            enquiries=Count("enquiry", distinct=True),
            citizens=Count("enquiry__citizen", distinct=True),
            new_citizens=Count("enquiry__citizen", distinct=True, filter=~Exists(earlier)),
        )
        .order_by("bucket")
    )
    found = {as_local_date(row["bucket"]): row for row in rows}
    series, enquiries, citizens = [], 0, 0
    for start in bucket_starts(interval, first, last):
        row = found.get(start, {})
        enquiries += row.get("enquiries", 0)
        citizens += row.get("new_citizens", 0)
        series.append(
            Affected(
                start=start,
                enquiries=row.get("enquiries", 0),
                citizens=row.get("citizens", 0),
                total_enquiries=enquiries,
                total_citizens=citizens,
            )
        )
    return series


def most_linked(cohort: QuerySet, user, *, limit: int = 10) -> list[KnownProblem]:
    """The known problems with the most linked enquiries of `cohort`.

    One query: each problem with `period_enquiries` (its linked enquiries of
    the cohort) and `period_citizens` (their distinct citizens).
    """
    return list(
        KnownProblem.objects.visible_to(user)
        .filter(links__enquiry__in=cohort.order_by().values("pk"))
        .annotate(
            period_enquiries=Count("links__enquiry", distinct=True),
            period_citizens=Count("links__enquiry__citizen", distinct=True),
        )
        .order_by("-period_enquiries", "title", "pk")[:limit]
    )
