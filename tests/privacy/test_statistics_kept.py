"""Retention changes no figure: dashboard, topic shares, day summaries, report.

Each test builds the figures, anonymises every closed enquiry (and its
citizen) through the retention sweep, builds them again, and compares;
then recomputes the snapshots from the anonymised rows and compares again.
"""

import datetime

import pytest
from django.db.models import F

from analytics.models import DurationCount, EnquiryDay, TopicShare
from analytics.reports import topic_shares
from analytics.services import rebuild_topic_shares
from dashboards.tables import Dashboard
from enquiries.models import Citizen, Enquiry, EnquiryEvent
from feedback.models import EnquiryRating
from privacy import services
from privacy.models import RetentionPolicy
from reports import rendering
from reports.user_analysis import build_user_analysis
from tests.dashboards.dataset import FIXED_NOW
from tests.factories import CitizenFactory
from tests.reports.data import END, START

pytestmark = pytest.mark.django_db

LATER = FIXED_NOW + datetime.timedelta(days=400)
END_PLUS_TWO_YEARS = FIXED_NOW + datetime.timedelta(days=730)


def snapshots() -> dict[str, list[tuple]]:
    """Every stored summary row, without the moment it was computed."""
    return {
        "shares": sorted(
            TopicShare.objects.values_list(
                "queue_id", "granularity", "period_start", "basis", "level", "topic_id",
                "category_id", "count", "total", "share",
            ),
            key=repr,
        ),
        "days": sorted(
            EnquiryDay.objects.values_list(
                "queue_id", "day", "received", "resolved", "resolved_with_deadline",
                "resolved_on_time", "escalations",
            ),
            key=repr,
        ),
        "durations": sorted(
            DurationCount.objects.values_list(
                "queue_id", "granularity", "period_start", "measure", "bucket", "count", "seconds"
            ),
            key=repr,
        ),
    }  # fmt: skip


def give_personal_data(enquiries) -> int:
    """A citizen, free text, a note and a rated comment on each enquiry."""
    for n, enquiry in enumerate(enquiries):
        enquiry.citizen = CitizenFactory(name=f"Borger {n}", email=f"b{n}@example.invalid")
        enquiry.description = f"Borger {n} ringede fra Nørregade {n}."
        enquiry.save(update_fields=["citizen", "description"])
        EnquiryEvent.objects.create(enquiry=enquiry, kind="note", text=f"Borger {n} ringede igen")
        EnquiryRating.objects.update_or_create(
            enquiry=enquiry,
            defaults={"comment": f"Tak, Borger {n}"},
            create_defaults={"score": 1 + n % 5, "source": "citizen"}
            | {"comment": f"Tak, Borger {n}"},
        )
    return len(enquiries)


def dashboard_figures(dataset, user) -> dict:
    figures = {}
    for queue in (None, dataset.support):
        for interval in ("day", "week"):
            for basis in ("enquiry", "mention"):
                dashboard = Dashboard(
                    dataset.scope(queue=queue, interval=interval, basis=basis), user
                )
                for slug, build in dashboard.table_builders().items():
                    table = build()
                    key = (queue and queue.code, interval, basis, slug)
                    figures[key] = (
                        table.headers,
                        table.export_rows(),
                        [row.url for row in table.rows],
                        table.note,
                    )
    return figures


def share_tables(queues, start, end) -> list:
    tables = []
    for queue in queues:
        for granularity in ("day", "week", "month", "period"):
            for basis in ("enquiry", "mention"):
                for level in ("topic", "category"):
                    tables.append(
                        topic_shares(
                            queue,
                            granularity=granularity,
                            basis=basis,
                            level=level,
                            start=start,
                            end=end,
                        )
                    )
    return tables


def test_the_dashboard_and_its_summaries_are_the_same_after_retention(fixed, personas):
    closed = Enquiry.objects.filter(status__in=Enquiry.CLOSED_STATUSES)
    assert give_personal_data(list(closed)) == 3
    RetentionPolicy.objects.create(retain_days=365)
    before = dashboard_figures(fixed, personas["admin"])
    stored = snapshots()
    shares = share_tables([fixed.support, fixed.ministry], fixed.start, fixed.end)

    counts = services.anonymise_expired(now=LATER)

    assert counts == {"enquiries": 3, "citizens": 3}
    assert not Citizen.objects.filter(anonymised_at__isnull=True, name__startswith="Borger")
    assert dashboard_figures(fixed, personas["admin"]) == before
    assert snapshots() == stored
    assert share_tables([fixed.support, fixed.ministry], fixed.start, fixed.end) == shares
    # Recomputed from the anonymised rows, the summaries come out the same.
    rebuild_topic_shares(fixed.start - datetime.timedelta(days=6), fixed.today, now=FIXED_NOW)
    assert snapshots() == stored
    assert dashboard_figures(fixed, personas["admin"]) == before


def test_the_report_is_the_same_after_retention(autumn, report_world, taxonomy):
    # The autumn's enquiries, resolved two hours after they came in; some closed.
    Enquiry.objects.update(
        status=Enquiry.Status.RESOLVED,
        first_responded_at=F("received_at") + datetime.timedelta(minutes=20),
        resolved_at=F("received_at") + datetime.timedelta(hours=2),
        resolution="Hjalp borgeren",
    )
    Enquiry.objects.filter(pk__in=[e.pk for e in autumn["ministry"]]).update(
        status=Enquiry.Status.CLOSED, closed_at=F("resolved_at") + datetime.timedelta(days=1)
    )
    give_personal_data(autumn["ministry"][:40] + autumn["support"][:40])
    rebuild_topic_shares(START - datetime.timedelta(days=6), END, now=FIXED_NOW)
    RetentionPolicy.objects.create(retain_days=365)
    report = build_user_analysis(START, END, now=FIXED_NOW)
    text, html = rendering.render_text(report), rendering.render_html(report)
    stored = snapshots()
    shares = share_tables(taxonomy.values(), START, END)

    counts = services.anonymise_expired(now=END_PLUS_TWO_YEARS, batch_size=1000, max_batches=10)

    assert counts["enquiries"] == Enquiry.objects.count() > 2000
    assert counts["citizens"] == 80
    assert not Enquiry.objects.filter(description__contains="Borger").exists()
    after = build_user_analysis(START, END, now=FIXED_NOW)
    assert rendering.render_text(after) == text
    assert rendering.render_html(after) == html
    assert snapshots() == stored
    assert share_tables(taxonomy.values(), START, END) == shares
    rebuild_topic_shares(START - datetime.timedelta(days=6), END, now=FIXED_NOW)
    assert snapshots() == stored
    assert rendering.render_text(build_user_analysis(START, END, now=FIXED_NOW)) == text
