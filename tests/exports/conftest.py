"""Enquiries and actions to export, and helpers to read the downloads."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from analytics.periods import REPORTING_TZ
from enquiries.models import Category, Enquiry, Queue, Topic
from tests.dashboards.dataset import make_dataset, make_enquiry
from tests.factories import (
    ActionFactory,
    CitizenFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
)

CPR = "0703421234"


def da(text: str) -> str:
    """A header or label as the (always Danish) export writes it."""
    with translation.override("da"):
        return gettext(text)


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> list[list]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def exported(taxonomy, personas):
    """Three support enquiries (one with a citizen) and a ministry letter."""
    support = Queue.objects.get(code="support")
    ministry = Queue.objects.get(code="ministry")
    password = Category.objects.get(
        topic__queue=support, topic__code="midlertidig-adgangskode", code="ikke-modtaget"
    )
    citizen = CitizenFactory(name="Inger Christensen", cpr=CPR)
    assignee = UserFactory(username="pia", first_name="Pia", last_name="Hansen")
    received = datetime.datetime(2010, 9, 6, 9, 5, tzinfo=REPORTING_TZ)
    return {
        "formula": make_enquiry(
            support,
            received,
            password,
            subject='=HYPERLINK("http://evil.example","klik")',
            citizen=citizen,
            assignee=assignee,
            priority=Enquiry.Priority.HIGH,
            first_responded_at=received + datetime.timedelta(minutes=7),
            resolution_due_at=datetime.datetime(2010, 9, 7, 9, 5, tzinfo=REPORTING_TZ),
            escalation_level=1,
        ),
        "plus": make_enquiry(
            support, received + datetime.timedelta(days=1), password, subject="+45 kan ikke"
        ),
        "plain": make_enquiry(
            support,
            received + datetime.timedelta(days=2),
            None,
            subject="Spørgsmål om nøglekort",
        ),
        "letter": make_enquiry(
            ministry,
            received,
            Category.objects.filter(topic__queue=ministry).first(),
            subject="Brev til ministeren",
        ),
        "topic": Topic.objects.get(queue=support, code="midlertidig-adgangskode"),
        "citizen": citizen,
    }


@pytest.fixture
def action_rows(taxonomy, personas):
    """An action on a support topic (all may read) and one on a ministry topic."""
    danid = OrganisationFactory(code="danid", name="DanID", kind="operator")
    theme = ThemeFactory(code="support", name_da="Support", name_en="Support")
    support_topic = Topic.objects.get(queue__code="support", code="aktivering")
    ministry_topic = Topic.objects.get(queue__code="ministry", code="sikkerhed")
    return {
        "support": ActionFactory(
            code="support-medarbejdere",
            title="Flere medarbejdere",
            owner=danid,
            theme=theme,
            status="done",
            topics=[support_topic],
            due_phrase="november 2010",
            due_start=datetime.date(2010, 11, 1),
            due_end=datetime.date(2010, 11, 30),
            completed_on=datetime.date(2010, 11, 26),
        ),
        "ministry": ActionFactory(
            title="@Sikkerhedsvejledning",
            owner=danid,
            theme=theme,
            status="in_progress",
            topics=[ministry_topic],
            overdue=True,
        ),
    }


@pytest.fixture
def current(taxonomy, personas):
    """The dashboard tests' dataset around the real clock."""
    return make_dataset(timezone.now())
