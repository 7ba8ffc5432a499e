"""End to end on a real Celery worker (not eager): overdue enquiries escalate,
topic shares are recounted.

The worker runs as a separate process on the test database and the broker
of the run: Redis in the PostgreSQL CI run, the filesystem transport in the
SQLite run. Mail goes to the worker's file-based backend.
"""

import datetime
import os
import re
import shlex
import signal
import time

import pytest
from django.utils import timezone

from enquiries import tasks
from enquiries.models import Category, Enquiry, EnquiryEvent
from operations.models import Heartbeat
from tests.factories import EnquiryFactory
from tests.integration.harness import BASE_DIR, WorkerProcess
from tests.sla.test_faults import REFERENCE

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def escalated(enquiry_id: int) -> bool:
    return Enquiry.objects.filter(pk=enquiry_id, escalation_level=1).exists()


@pytest.mark.once_postgres  # on Redis, the production broker
def test_enquiry_logged_through_the_api_is_escalated_mailed_and_counted_by_the_worker(
    celery_worker_process, support, policies, personas, lead, client_as, settings
):
    worker = celery_worker_process
    # Recount the topic shares at once rather than after the debounce.
    settings.ANALYTICS_RECOMPUTE_COUNTDOWN = 0
    category = Category.objects.get(topic__queue=support, code="ikke-modtaget")
    received = timezone.now() - datetime.timedelta(days=10)
    day = timezone.localdate(received).isoformat()
    agent = client_as("agent")

    created = agent.post(
        "/api/v1/enquiries/",
        {
            "queue": "support",
            "subject": "Ingen svar på mit brev",
            "channel": "letter",
            "received_at": received.isoformat(),
            "category": category.pk,
        },
        content_type="application/json",
    )

    # The commit sent escalate_enquiry and recompute_topic_shares; the
    # worker claims the escalation, mails it and recounts the day.
    assert created.status_code == 201, created.json()
    enquiry = Enquiry.objects.get(reference=created.json()["reference"])
    worker.wait_for(lambda: escalated(enquiry.pk), what="the escalation")
    mails = worker.wait_for(worker.sent_mails, what="the e-mail")
    event = enquiry.events.get(kind=EnquiryEvent.Kind.ESCALATED)
    assert event.actor is None
    assert len(mails) == 1
    assert f"To: {lead.email}" in mails[0]
    assert enquiry.reference in mails[0]

    def shares() -> list[dict]:
        response = agent.get(
            "/api/v1/topic-shares/",
            {"queue": "support", "granularity": "day", "start": day, "end": day},
        )
        return response.json()["buckets"][0]["rows"]

    rows = worker.wait_for(shares, what="the topic shares")
    assert [(row["topic"]["code"], row["count"], row["share"]) for row in rows] == [
        (category.topic.code, 1, 100.0)
    ]
    assert "analytics.recompute_topic_shares" in worker.output()


@pytest.mark.once_postgres  # on Redis, the production broker
def test_periodic_sweep_run_by_the_worker_escalates_what_no_task_announced(
    celery_worker_process, support, personas, lead
):
    worker = celery_worker_process
    # Written directly, as if the broker had been down when it was saved.
    enquiry = EnquiryFactory(
        overdue=True,
        queue=support,
        team=support.team,
        category=Category.objects.filter(topic__queue=support).first(),
    )

    tasks.escalate_overdue_enquiries.delay()

    worker.wait_for(lambda: escalated(enquiry.pk), what="the sweep")
    worker.wait_for(worker.sent_mails, what="the e-mail")
    assert "escalate_overdue_enquiries" in worker.output()


@pytest.mark.once_postgres  # on Redis, the production broker
def test_pool_process_killed_mid_sweep_gets_the_task_back_and_escalates_once(
    worker_broker, support, personas, lead, tmp_path
):
    category = Category.objects.filter(topic__queue=support).first()
    enquiries = [
        EnquiryFactory(overdue=True, queue=support, team=support.team, category=category)
        for _ in range(3)
    ]
    marker = tmp_path / "inside-the-claim"
    worker = WorkerProcess(
        broker=worker_broker,
        log_path=tmp_path / "worker.log",
        mail_dir=tmp_path / "mail",
        pool="prefork",
        entry=("-m", "tests.integration.crashing_worker", str(marker)),
    )
    worker.mail_dir.mkdir()
    worker.start()
    try:
        tasks.escalate_overdue_enquiries.delay()
        worker.wait_for(marker.exists, what="the sweep inside its claim")
        os.kill(int(marker.read_text()), signal.SIGKILL)

        # acks_late + reject_on_worker_lost: the task comes back and reruns.
        worker.wait_for(lambda: all(escalated(e.pk) for e in enquiries), what="the rerun")
        worker.wait_for(lambda: len(worker.sent_mails()) >= 3, what="the e-mails")
        time.sleep(2)  # room for a duplicate to show up
    finally:
        worker.stop()

    received = re.findall(r"escalate_overdue_enquiries\[([\w-]+)\] received", worker.output())
    assert len(received) == 2 and received[0] == received[1], "the same message, redelivered"
    assert EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.ESCALATED).count() == 3
    mailed = sorted(REFERENCE.search(m).group() for m in worker.sent_mails())
    assert mailed == sorted(e.reference for e in enquiries)


def procfile_worker() -> list[str]:
    """The arguments of `make run`'s worker line in Procfile.dev."""
    lines = (BASE_DIR / "Procfile.dev").read_text().splitlines()
    line = next(line for line in lines if line.startswith("worker:"))
    return shlex.split(line.split(":", 1)[1])


@pytest.mark.once_sqlite  # `make run`'s embedded default: SQLite and a folder broker
def test_the_make_run_worker_and_its_beat_escalate_an_unanswered_enquiry_on_their_own(
    worker_broker, support, personas, lead, tmp_path
):
    # Nothing is sent by hand: only the embedded beat's schedule (here every
    # 2 s instead of 5 min) can make the sweep and the mail happen.
    args = procfile_worker()
    assert "--beat" in args
    enquiry = EnquiryFactory(
        overdue=True,
        queue=support,
        team=support.team,
        category=Category.objects.filter(topic__queue=support).first(),
    )
    worker = WorkerProcess(
        broker=worker_broker,
        log_path=tmp_path / "worker.log",
        mail_dir=tmp_path / "mail",
        queues=tuple(args[args.index("-Q") + 1].split(",")),
        options=("--beat", f"--schedule={tmp_path / 'beat-schedule'}"),
        environment={
            "SLA_SWEEP_SECONDS": "2",
            "NOTIFICATION_SWEEP_SECONDS": "2",
            "HEARTBEAT_SECONDS": "2",
        },
    )
    worker.mail_dir.mkdir()
    worker.start()
    try:
        worker.wait_for(lambda: escalated(enquiry.pk), what="the scheduled sweep")
        mails = worker.wait_for(worker.sent_mails, what="the e-mail")
        # Both processes left their heartbeats for /readyz and the banner.
        worker.wait_for(
            lambda: Heartbeat.objects.filter(process__in=["worker", "beat"]).count() == 2,
            what="the worker's and the beat's heartbeats",
        )
    finally:
        worker.stop()

    assert "Sending due task escalate-overdue-enquiries" in worker.output()
    assert [REFERENCE.search(m).group() for m in mails] == [enquiry.reference]
