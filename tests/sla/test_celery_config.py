"""The Celery wiring: queues, the beat schedule, task options."""

import shlex
import subprocess
import sys

import pytest
from django.conf import settings

from nemid_cases.celery import app
from tests.integration.harness import BASE_DIR


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("enquiries.tasks.escalate_overdue_enquiries", "escalation"),
        ("enquiries.tasks.escalate_enquiry", "escalation"),
        ("actions.tasks.escalate_overdue_actions", "escalation"),
        ("enquiries.tasks.deliver_notifications", "notifications"),
        ("analytics.recompute_topic_shares", "statistics"),
        ("privacy.tasks.anonymise_expired", "default"),
        ("anything.else", "default"),
    ],
)
def test_tasks_are_routed_to_named_queues(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_every_periodic_task_exists_and_expires_after_one_period():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert entry["options"]["expires"] == entry["schedule"], name


def test_sweeps_run_every_five_minutes_by_default():
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert schedule["escalate-overdue-enquiries"]["schedule"] == 300
    assert schedule["escalate-overdue-actions"]["schedule"] == 300


def test_sweep_period_is_set_by_an_environment_variable():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CELERY_BEAT_SCHEDULE['escalate-overdue-enquiries']['schedule'])",
        ],
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "nemid_cases.settings", "SLA_SWEEP_SECONDS": "60"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "60"


@pytest.mark.parametrize(
    "task",
    [
        "enquiries.tasks.escalate_overdue_enquiries",
        "enquiries.tasks.escalate_enquiry",
        "enquiries.tasks.deliver_notifications",
        "actions.tasks.escalate_overdue_actions",
        "analytics.recompute_topic_shares",
        "privacy.tasks.anonymise_expired",
    ],
)
def test_idempotent_tasks_acknowledge_late_and_retry_only_database_hiccups(task):
    from django.db import InterfaceError, OperationalError

    app.loader.import_default_modules()
    options = app.tasks[task]

    assert options.acks_late is True
    assert options.reject_on_worker_lost is True
    assert set(options.autoretry_for) == {OperationalError, InterfaceError}


def test_only_json_crosses_the_broker():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


def test_publishing_gives_up_at_once_when_the_broker_is_down():
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] == 0


def test_the_make_run_worker_consumes_every_routed_queue_and_runs_the_beat():
    line = next(
        line
        for line in (BASE_DIR / "Procfile.dev").read_text().splitlines()
        if line.startswith("worker:")
    )
    args = shlex.split(line.split(":", 1)[1])
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}

    assert "--beat" in args
    assert set(args[args.index("-Q") + 1].split(",")) == routed | {"default"}


def test_without_a_broker_url_the_default_is_the_filesystem_transport():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CELERY_BROKER_URL, "
            "sorted(settings.CELERY_BROKER_TRANSPORT_OPTIONS))",
        ],
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "nemid_cases.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split(" ", 1) == [
        "filesystem://",
        "['control_folder', 'data_folder_in', 'data_folder_out', 'max_retries', "
        "'store_processed']\n",
    ]
