"""The state `make setup` leaves: a living desk of today beside the 2010 history.

The Makefile's set-up commands run twice (the second run must create
nothing), with the 2010 profile at its smallest size (tests/demo/make_setup.py).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions import tasks as action_tasks
from actions.models import Action
from enquiries import services, tasks
from enquiries.models import Enquiry, Notification, Queue
from seed.demo.enquiries import DEMO_DAYS
from seed.demo.follow_ups import DEMO_FOLLOW_UPS
from seed.generator.profile import report_volumes
from stakeholders.models import FollowUp
from tests.demo.make_setup import SUPPORT_COUNT, loaded_database

README = Path(__file__).resolve().parents[2] / "README.md"
DEMO_ENQUIRIES = 40  # the README's promise


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker):
    yield from loaded_database(django_db_blocker, times=2)


@pytest.fixture
def setup(output, db):
    return output


@pytest.fixture
def now():
    return timezone.now()


def recent(now):
    return Q(received_at__gte=now - datetime.timedelta(days=DEMO_DAYS))


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_recent_desk_is_created_beside_the_history_once(setup, now):
    history = report_volumes(support_count=SUPPORT_COUNT).total

    assert Enquiry.objects.filter(received_at__year=2010).count() == history
    assert Enquiry.objects.filter(recent(now)).count() == DEMO_ENQUIRIES
    assert Enquiry.objects.count() == history + DEMO_ENQUIRIES
    assert f"Demo enquiries created: {DEMO_ENQUIRIES}" in setup
    assert "Demo enquiries of the last two weeks exist already; none created." in setup
    assert "nothing generated" in setup


def test_the_default_dashboard_has_data(setup):
    response = signed_in("manager").get(reverse("dashboards:overview"))

    assert response.status_code == 200
    tables = response.context["tables"]
    received = tables["summary"].rows[0]
    assert received.values[1] == DEMO_ENQUIRIES
    assert tables["topics"].rows
    assert sum(row.values[-1] for row in tables["volume"].rows) == DEMO_ENQUIRIES


def test_no_historical_enquiry_is_open_breached_or_escalated(setup, now):
    history = Enquiry.objects.exclude(recent(now))

    assert history.exists()
    assert not history.open().exists()
    assert not history.overdue(now).exists()
    assert not history.filter(escalation_level__gt=0).exists()
    for username in ("teamlead", "manager"):
        page = signed_in(username).get(reverse("enquiries:breaches"))
        assert page.status_code == 200
        assert "-2010-" not in page.content.decode()


def test_waits_are_todays_and_the_report_s_are_history(setup, now):
    today = timezone.localdate(now)

    assert not FollowUp.objects.filter(code__isnull=False).open().exists()
    waiting = FollowUp.objects.open()
    assert waiting.count() == len(DEMO_FOLLOW_UPS)
    assert all(follow_up.days_waiting(today) < 30 for follow_up in waiting)
    page = signed_in("secretariat").get(reverse("stakeholders:followup-list"))
    assert page.status_code == 200
    assert all(follow_up.subject in page.content.decode() for follow_up in waiting)
    assert "Demo follow-ups opened: 0." in setup


def test_the_first_sweep_sends_only_what_the_recent_desk_should(setup, now):
    # Overdue and running: one waiting for the citizen has its clock paused.
    due = set(
        Enquiry.objects.filter(recent(now), sla_paused_at__isnull=True)
        .overdue(now)
        .values_list("pk", flat=True)
    )
    # Level 1 e-mails the lead of the queue's team, once per enquiry.
    expected = (
        Enquiry.objects.filter(pk__in=due)
        .exclude(queue__team__lead__email="")
        .filter(queue__team__lead__isnull=False)
        .count()
    )
    assert 0 < len(due) <= DEMO_ENQUIRIES // 4

    assert tasks.escalate_overdue_enquiries() == {"1": len(due), "2": 0}
    assert action_tasks.escalate_overdue_actions() == {"1": 0, "2": 0}
    sent = tasks.deliver_notifications()

    assert sent == len(mail.outbox) == Notification.objects.count() == expected
    escalated = set(Enquiry.objects.filter(escalation_level=1).values_list("pk", flat=True))
    assert escalated == due
    # The report's actions are history too: overdue today, but settled.
    assert Action.objects.overdue(timezone.localdate(now)).exists()


def test_the_readme_reference_is_the_next_one_after_make_setup(setup, now):
    text = README.read_text()
    match = re.search(r"reference \(for example `NID-(\d{4})-(\d{6})`", text)
    assert match, "the README names the reference a newcomer's first enquiry gets"
    assert int(match.group(2)) == report_volumes().total + DEMO_ENQUIRIES + 1
    assert f"{DEMO_ENQUIRIES} enquiries" in text

    agent = User.objects.get(username="agent")
    enquiry = services.register_enquiry(
        Queue.objects.get(code="support"), by=agent, subject="Kan ikke logge på"
    )

    number = report_volumes(support_count=SUPPORT_COUNT).total + DEMO_ENQUIRIES + 1
    if connection.vendor == "postgresql":
        # A PostgreSQL sequence is not rolled back with the tests before
        # this one in the process: only that nothing came between.
        assert int(enquiry.reference.rsplit("-", 1)[1]) >= number
        return
    assert enquiry.reference == f"NID-{timezone.localdate(now).year}-{number:06d}"
