"""The report's tables reproduced exactly from data, from snapshots or directly."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Action
from analytics.models import DirtyDay
from analytics.services import rebuild_topic_shares
from enquiries.models import Enquiry
from feedback.models import EnquiryRating
from reports import rendering
from reports.user_analysis import DIRECT, SNAPSHOT, build_user_analysis
from stakeholders.models import Meeting
from tests.reports.data import END, EXPECTED, START, at, write_outside_the_period
from tests.reports.tables import html_tables, pdf_rows, pdf_text


def table(report, code):
    section = next(s for s in report.sections if s.queue.code == code)
    return [(row.name, row.share_text) for row in section.top], section


def test_snapshots_reproduce_both_of_the_reports_tables(autumn):
    rebuild_topic_shares(START, END)

    report = build_user_analysis(START, END)

    support, support_section = table(report, "support")
    ministry, ministry_section = table(report, "ministry")
    assert support == EXPECTED["support"]
    assert ministry == EXPECTED["ministry"]
    assert {s.queue.code: s.source for s in report.sections} == {
        "support": SNAPSHOT,
        "ministry": SNAPSHOT,
        "press": SNAPSHOT,
    }
    # Support per enquiry, the ministry per topic mention, as the report does.
    assert (support_section.enquiries, support_section.denominator) == (2160, 2160)
    assert (ministry_section.enquiries, ministry_section.denominator) == (126, 187)
    assert report.total == 2160 + 126 + 14


def test_without_snapshots_the_figures_are_counted_directly_and_agree(autumn):
    report = build_user_analysis(START, END)

    assert table(report, "support")[0] == EXPECTED["support"]
    assert table(report, "ministry")[0] == EXPECTED["ministry"]
    assert {s.source for s in report.sections} == {DIRECT}
    assert not DirtyDay.objects.exists()


def test_snapshots_that_miss_enquiries_are_not_trusted(autumn, taxonomy):
    rebuild_topic_shares(START, END)
    # Bulk-loaded after the rebuild: no dirty mark, so only the count shows it.
    write_outside_the_period(taxonomy["support"])
    Enquiry.objects.filter(received_at__gte=at(datetime.date(2010, 11, 1), 0, 0)).update(
        received_at=at(datetime.date(2010, 10, 31), 12)
    )

    report = build_user_analysis(START, END)
    section = table(report, "support")[1]

    assert section.source == DIRECT
    assert section.enquiries == 2160 + 6
    assert table(report, "ministry")[1].source == SNAPSHOT


def test_a_dirty_mark_in_the_period_makes_the_queue_count_directly(autumn, taxonomy):
    rebuild_topic_shares(START, END)
    DirtyDay.objects.create(
        queue=taxonomy["ministry"], day=datetime.date(2010, 10, 5), marked_at=timezone.now()
    )

    report = build_user_analysis(START, END)

    assert table(report, "ministry")[1].source == DIRECT
    assert table(report, "ministry")[0] == EXPECTED["ministry"]
    assert table(report, "support")[1].source == SNAPSHOT


def test_the_period_is_copenhagen_days_both_ends_included(autumn):
    wider = build_user_analysis(datetime.date(2010, 6, 30), datetime.date(2010, 11, 1))
    july = build_user_analysis(datetime.date(2010, 7, 1), datetime.date(2010, 7, 31))

    assert table(wider, "support")[1].enquiries == 2160 + 6
    assert 0 < table(july, "support")[1].enquiries < 2160
    assert july.period_phrase == "juli"


def test_the_html_tables_hold_the_exact_figures_in_danish(autumn):
    report = build_user_analysis(START, END)

    html = rendering.render_html(report)
    tables = html_tables(html)

    for code in ("support", "ministry"):
        header, *rows = tables[f"shares-{code}"]
        assert header == ["Emner", "Samlet andel"]
        assert [tuple(row) for row in rows] == EXPECTED[code]
    assert tables["totals"][1:] == [
        ["NemID-support (DanID)", "2.160"],
        ["Videnskabsministeriet/ITST brevkontor", "126"],
        ["Presseovervågning", "14"],
        ["I alt", "2.300"],
    ]
    assert '<html lang="da">' in html
    assert (
        "I alt er der i perioden juli-oktober modtaget 2.160 henvendelser omkring NemID til "
        "NemID-support. Henvendelserne er kategoriseret i 46 kategorier" in html
    )
    assert "Andelene er af 187 emneangivelser i de 126 henvendelser" in html


def test_the_pdf_text_holds_the_exact_figures_in_danish(autumn, tmp_path):
    report = build_user_analysis(START, END)

    pdf = rendering.render_pdf(report)
    text = pdf_text(pdf, tmp_path)

    assert pdf.startswith(b"%PDF")
    assert pdf_rows(text, EXPECTED["support"]) == EXPECTED["support"]
    assert pdf_rows(text, EXPECTED["ministry"]) == EXPECTED["ministry"]
    assert "I alt er der i perioden juli-oktober modtaget 2.160 henvendelser" in " ".join(
        text.split()
    )
    assert "Side 1/" in text


def test_actions_meetings_and_satisfaction_come_from_the_data(report_world, autumn, personas):
    inside = Enquiry.objects.filter(received_at__lt=at(datetime.date(2010, 11, 1), 0, 0))
    rated = inside.filter(queue__code="support")[:4]
    Enquiry.objects.filter(pk__in=[e.pk for e in rated]).update(status="resolved")
    for enquiry, score, source in zip(
        rated, [5, 4, 2, 5], ["agent", "citizen", "agent", "agent"], strict=True
    ):
        EnquiryRating.objects.create(enquiry=enquiry, score=score, source=source)

    report = build_user_analysis(START, END)
    html = rendering.render_html(report)
    tables = html_tables(html)

    support_actions = next(group for group in report.themes if group.name == "Support")
    staff = next(a for a in support_actions.actions if a.code == "support-medarbejdere")
    assert (staff.owner.name, staff.status_da) == ("DanID", "Gennemført")
    assert ["Øget antal medarbejdere i supporten", "DanID", "Gennemført (26. november 2010)"] in [
        row[:3] for rows in tables.values() for row in rows
    ]
    assert "medio januar 2011" in html
    assert "Møde med Ældre Sagen (25. november 2010)" in html
    assert "Der arbejdes med sproget i velkomstbreve mv." in html
    assert "I NemID-projektet adresseres de nævnte anbefalinger allerede." in html
    assert tables["surveys"][1:] == [
        ["A&B Analyse for avisen ”kommunen”", "ca. november 2010", "1.426", "77 %"],
        [
            "Analyseinstituttet M3 i samarbejde med MEC for DanID",
            "ca. november 2010",
            "1.500 (heraf 713)",
            "81 %",
        ],
    ]
    assert report.ratings["count"] == 4
    assert report.ratings["satisfied_share"] == "75,0%"
    assert tables["ratings"][1:] == [
        ["1", "0", "0,0%"],
        ["2", "1", "25,0%"],
        ["3", "0", "0,0%"],
        ["4", "1", "25,0%"],
        ["5", "2", "50,0%"],
    ]
    assert "Gennemsnittet er 4,0" in html


def test_actions_finished_before_the_period_and_cancelled_ones_are_left_out(report_world):
    done_early = Action.objects.get(code="support-medarbejdere")
    done_early.completed_on = datetime.date(2010, 6, 1)
    done_early.save()
    cancelled = Action.objects.exclude(pk=done_early.pk).first()
    cancelled.status = Action.Status.CANCELLED
    cancelled.save()

    report = build_user_analysis(START, END)
    listed = {action.pk for group in report.themes for action in group.actions}

    assert done_early.pk not in listed
    assert cancelled.pk not in listed
    assert len(listed) == Action.objects.count() - 2


def test_meetings_before_the_period_are_left_out_undated_ones_kept(report_world):
    later = build_user_analysis(datetime.date(2010, 11, 20), datetime.date(2010, 11, 30))

    titles = [meeting.title for meeting in later.meetings]
    assert "Møde med Ældremobiliseringen" not in titles  # 9 November
    assert "Møde med Ældre Sagen" in titles  # 25 November
    assert titles[-1] == "Møde med Forbrugerrådet"  # No date: last
    assert Meeting.objects.filter(held_on__lt=datetime.date(2010, 11, 20)).exists()


@pytest.mark.parametrize("rows", [1, 25])
def test_building_takes_the_same_queries_whatever_the_rows(
    taxonomy, rows, django_assert_num_queries
):
    from tests.factories import ActionFactory, MeetingFactory, RecommendationFactory

    for _ in range(rows):
        meeting = MeetingFactory()
        RecommendationFactory(meeting=meeting, organisation=meeting.organisations.get())
        RecommendationFactory()
        ActionFactory()

    # Queues, received counts, snapshot totals, dirty marks, direct counts
    # (two), topics, category counts; actions; meetings with organisations
    # and recommendations (three); written recommendations; surveys; ratings;
    # the incidents of the period; the known problems' enquiries per month.
    with django_assert_num_queries(16):
        report = build_user_analysis(START, END)

    assert len(report.meetings) == rows
