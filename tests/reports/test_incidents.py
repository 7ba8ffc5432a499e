"""The report's incidents of the period and its known-problem counts."""

import datetime
import re

import pytest
from django.urls import reverse

from analytics.periods import REPORTING_TZ
from enquiries.models import Category
from notices.models import Incident, IncidentLink
from problems.models import KnownProblem, KnownProblemLink
from reports.user_analysis import build_user_analysis
from tests.factories import CitizenFactory, EnquiryFactory
from tests.reports.tables import html_tables, pdf_text

START, END = datetime.date(2010, 10, 1), datetime.date(2010, 11, 30)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2010, month, day, hour, tzinfo=REPORTING_TZ)


@pytest.fixture
def period(taxonomy):
    category = Category.objects.get(topic__queue__code="support", code="nedbrud")
    outage = Incident.objects.create(
        title_da="Log-in nede hos bankerne",
        title_en="Log-in down at the banks",
        services=["login", "netbank_login"],
        severity=Incident.Severity.OUTAGE,
        started_at=at(10, 12, 9),
        ended_at=at(10, 12, 15),
    )
    Incident.objects.create(
        title_da="Før perioden",
        title_en="Before the period",
        services=["signing"],
        severity=Incident.Severity.MINOR,
        started_at=at(9, 1),
        ended_at=at(9, 2),
    )
    problem = KnownProblem.objects.create(title="Kun netbank", description="x", category=category)
    citizen = CitizenFactory()
    for received, who in [(at(10, 12), citizen), (at(10, 13), citizen), (at(11, 2), None)]:
        enquiry = EnquiryFactory(category=category, received_at=received, citizen=who)
        KnownProblemLink.objects.create(problem=problem, enquiry=enquiry)
        if received.month == 10:
            IncidentLink.objects.create(incident=outage, enquiry=enquiry)
    return outage


def test_the_report_lists_the_incidents_of_the_period(period):
    report = build_user_analysis(START, END)

    assert [(i.title_da, i.linked_count) for i in report.incidents] == [
        ("Log-in nede hos bankerne", 2)
    ]


def test_the_report_counts_affected_enquiries_and_citizens_per_month(period):
    report = build_user_analysis(START, END)

    assert [
        (m.start, m.enquiries, m.citizens, m.total_enquiries, m.total_citizens)
        for m in report.problems_over_time
    ] == [
        (datetime.date(2010, 10, 1), 2, 1, 2, 1),
        (datetime.date(2010, 11, 1), 1, 0, 3, 1),
    ]


def test_the_html_download_holds_both_tables(client_as, period):
    html = client_as("manager").get(reverse("reports:download", args=["html"]), PERIOD)

    tables = html_tables(html.content.decode())
    assert [tuple(row) for row in tables["incidents"]] == [
        ("Driftsforstyrrelse", "Berørte tjenester", "Start", "Slut", "Tilknyttede henvendelser"),
        (
            "Log-in nede hos bankerne",
            "Log-in, Log-in i netbank",
            "12.10.2010 09:00",
            "12.10.2010 15:00",
            "2",
        ),
    ]
    assert [tuple(row) for row in tables["known-problems"]][1:] == [
        ("oktober 2010", "2", "1", "2", "1"),
        ("november 2010", "1", "0", "3", "1"),
    ]


def test_the_pdf_names_the_incident(client_as, period, tmp_path):
    response = client_as("secretariat").get(reverse("reports:download", args=["pdf"]), PERIOD)

    text = pdf_text(response.content, tmp_path)
    # A narrow table cell wraps its text: the row's first line.
    assert re.search(r"Log-in nede hos\s+Log-in,\s+12\.10\.2010\s+12\.10\.2010\s+2\n", text)
    assert "Henvendelser og borgere ramt af kendte problemer pr. måned" in text
    assert re.search(r"november 2010\s+1\s+0\s+3\s+1\n", text)
