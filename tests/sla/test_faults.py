"""Faults: rollback, a deleted row, the broker down, a worker killed mid-sweep."""

import datetime
import logging
import re
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from enquiries import escalation, services, tasks
from enquiries.models import Enquiry, EnquiryEvent, Notification
from enquiries.notifications import deliver_notifications
from tests.etags import patch_json
from tests.integration.harness import (
    BASE_DIR,
    Broker,
    hung_server,
    process_env,
    read_mails,
    use_broker,
)

Kind = EnquiryEvent.Kind
REFERENCE = re.compile(r"[A-Z]{3}-\d{4}-\d{6}")


def overdue_letter(queue, by, **kwargs):
    """A letter received ten days ago: past both deadlines at once."""
    kwargs.setdefault("subject", "Venter stadig på svar")
    return services.register_enquiry(
        queue,
        by=by,
        channel="letter",
        received_at=timezone.now() - datetime.timedelta(days=10),
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_committed_change_enqueues_the_escalation_on_the_escalation_queue(
    broker, support, policies, personas
):
    enquiry = overdue_letter(support, personas["agent"])

    # The new enquiry also asks for its day's topic shares to be recounted;
    # both messages are written in the same commit, in no defined order.
    assert sorted(broker.published(), key=lambda message: message["task"]) == [
        {
            "task": "analytics.recompute_topic_shares",
            "queue": "statistics",
            "args": [],
            "kwargs": {},
        },
        {
            "task": "enquiries.tasks.escalate_enquiry",
            "queue": "escalation",
            "args": [enquiry.pk],
            "kwargs": {},
        },
    ]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_enqueues_nothing(broker, support, policies, personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        overdue_letter(support, personas["agent"])
        raise RuntimeError("the request failed after the enquiry was saved")

    assert not Enquiry.objects.exists()
    assert broker.published() == []


@pytest.mark.django_db(transaction=True)
def test_escalation_enqueues_delivery_on_the_notifications_queue(
    broker, support, policies, personas
):
    overdue_letter(support, personas["agent"])

    escalation.escalate_overdue_enquiries(now=timezone.now())

    assert ("enquiries.tasks.deliver_notifications", "notifications") in broker.tasks()


def test_enquiry_deleted_before_the_task_runs_is_skipped_with_a_log_line(
    support, policies, personas, caplog
):
    enquiry = overdue_letter(support, personas["agent"])
    enquiry_id = enquiry.pk
    enquiry.events.all().delete()
    enquiry.delete()

    with caplog.at_level(logging.INFO, logger="enquiries.tasks"):
        # Calling the task runs its body here, as a worker would.
        assert tasks.escalate_enquiry(enquiry_id) == []

    assert f"Enquiry {enquiry_id} no longer exists" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_broker_down_creating_and_editing_still_work_and_the_sweep_catches_up(
    broker, support, policies, personas, lead, caplog
):
    down = Broker(
        url="redis://127.0.0.1:1/5",
        transport_options={"max_retries": 0, "socket_connect_timeout": 2},
    )
    agent = personas["agent"]
    with use_broker(down), caplog.at_level(logging.WARNING, logger="nemid_cases.queueing"):
        started = time.monotonic()
        enquiry = overdue_letter(support, agent)
        services.update_enquiry(enquiry, by=agent, changes={"priority": Enquiry.Priority.HIGH})
        elapsed = time.monotonic() - started

    # Publishing failed fast, was logged once, and the circuit kept the
    # edit from trying again; the request's work stands.
    assert elapsed < 3
    assert caplog.text.count("Could not enqueue") == 1
    assert "Could not enqueue enquiries.tasks.escalate_enquiry" in caplog.text
    enquiry.refresh_from_db()
    assert enquiry.priority == Enquiry.Priority.HIGH
    assert enquiry.resolution_due_at is not None
    assert enquiry.escalation_level == 0

    # The next periodic sweep (the broker is back) does what was lost.
    assert escalation.escalate_overdue_enquiries(now=timezone.now()) == {1: 1, 2: 0}
    assert [m["task"] for m in broker.published()] == ["enquiries.tasks.deliver_notifications"]
    deliver_notifications()
    assert [m.to for m in mail.outbox] == [[lead.email]]


@pytest.mark.django_db(transaction=True)
def test_broker_down_the_api_still_creates_and_edits_and_the_catch_ups_cover_it(
    broker, support, policies, personas, lead, client_as
):
    from analytics.models import DirtyDay, TopicShare
    from analytics.services import recompute_dirty_days

    down = Broker(
        url="redis://127.0.0.1:1/5",
        transport_options={"max_retries": 0, "socket_connect_timeout": 2},
    )
    agent = client_as("agent")
    received = timezone.now() - datetime.timedelta(days=10)
    with use_broker(down):
        created = agent.post(
            "/api/v1/enquiries/",
            {
                "queue": "support",
                "subject": "Intet svar",
                "channel": "letter",
                "received_at": received.isoformat(),
            },
            content_type="application/json",
        )
        reference = created.json().get("reference")
        edited = patch_json(agent, f"/api/v1/enquiries/{reference}/", {"priority": 4})

    assert (created.status_code, edited.status_code) == (201, 200), created.json()
    enquiry = Enquiry.objects.get(reference=reference)
    assert enquiry.priority == 4 and enquiry.resolution_due_at is not None
    assert DirtyDay.objects.filter(queue=support, day=timezone.localdate(received)).exists()

    # Broker back: the beat's sweep and share catch-up do the lost work.
    assert escalation.escalate_overdue_enquiries(now=timezone.now())[1] == 1
    assert recompute_dirty_days() == {support.pk: 1}
    assert TopicShare.objects.filter(
        queue=support, period_start=timezone.localdate(received)
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_hung_broker_holds_one_save_for_the_wait_and_none_after_and_the_sweep_delivers_once(
    broker, support, policies, personas, lead, settings
):
    settings.CELERY_PUBLISH_WAIT = 0.5
    agent = personas["agent"]
    with hung_server() as port:
        hung = Broker(
            url=f"redis://127.0.0.1:{port}/0",
            transport_options={"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5},
        )
        with use_broker(hung):
            started = time.monotonic()
            enquiry = overdue_letter(support, agent)
            first = time.monotonic() - started
            later = []
            for priority in [Enquiry.Priority.HIGH, Enquiry.Priority.LOW] * 5:
                started = time.monotonic()
                services.update_enquiry(enquiry, by=agent, changes={"priority": priority})
                later.append(time.monotonic() - started)

    # The first save waited for the relay, not for the 5 s socket timeout;
    # with the circuit open the next ten did not wait at all.
    assert first < 0.5 + 1.5, first
    assert max(later) < 0.5, later
    enquiry.refresh_from_db()
    assert enquiry.priority == Enquiry.Priority.LOW and enquiry.escalation_level == 0

    # The broker is back: the sweep escalates once, delivery mails once,
    # and a second sweep and delivery add nothing.
    assert escalation.escalate_overdue_enquiries(now=timezone.now()) == {1: 1, 2: 0}
    deliver_notifications()
    assert escalation.escalate_overdue_enquiries(now=timezone.now()) == {1: 0, 2: 0}
    deliver_notifications()
    assert [m.to for m in mail.outbox] == [[lead.email]]


CRASH_SCRIPT = """
import os, signal, sys
import django
django.setup()
from django.utils import timezone
from enquiries import escalation, notifications

point, now = sys.argv[1], timezone.datetime.fromisoformat(sys.argv[2])

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "before-commit":
    # Rows claimed and events half-written, the transaction still open.
    # (The set-based writes on PostgreSQL, the Python ones on SQLite.)
    escalation._record_and_notify = escalation._record_and_notify_in_sql = die
    escalation.escalate_overdue_enquiries(now=now)
elif point == "while-sending":
    from django.core.mail.backends.filebased import EmailBackend
    send = EmailBackend.send_messages
    sent = []
    def send_then_die(self, messages):
        if sent:
            die()
        sent.append(1)
        return send(self, messages)
    EmailBackend.send_messages = send_then_die
    escalation.escalate_overdue_enquiries(now=now)
    notifications.deliver_notifications(now=now)
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("point", ["before-commit", "while-sending"])
def test_worker_killed_mid_sweep_loses_nothing_and_duplicates_nothing(
    support, policies, personas, lead, broker, tmp_path, point
):
    enquiries = [overdue_letter(support, personas["agent"]) for _ in range(4)]
    now = timezone.now()
    mail_dir = tmp_path / "mail"
    env = process_env(
        broker,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )

    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, point, now.isoformat()],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        timeout=60,
    )

    assert crashed.returncode == -9, crashed.stderr.decode()[-2000:]
    killed_mid_delivery = read_mails(mail_dir) if mail_dir.exists() else []
    # The task is redelivered: the same sweep and delivery run again, here.
    # A claim on an e-mail lapses after Notification.CLAIM_TIMEOUT.
    later = now + Notification.CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    escalation.escalate_overdue_enquiries(now=now)
    deliver_notifications(now=later)

    for enquiry in enquiries:
        assert enquiry.events.filter(kind=Kind.ESCALATED).count() == 1
    assert Notification.objects.filter(sent_at__isnull=False).count() == 4
    # Every enquiry's escalation mailed exactly once, across both processes.
    mailed = [REFERENCE.search(m.subject).group() for m in mail.outbox]
    mailed += [REFERENCE.search(m).group() for m in killed_mid_delivery]
    assert sorted(mailed) == sorted(e.reference for e in enquiries)
    if point == "while-sending":
        assert len(killed_mid_delivery) == 1
