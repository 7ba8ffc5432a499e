import datetime

from django.conf import settings
from kombu.exceptions import OperationalError

from analytics.models import DirtyDay, TopicShare
from analytics.tasks import recompute_topic_shares
from enquiries import services as enquiry_services
from nemid_cases.celery import app
from tests.analytics.helpers import at, category_of

NOV_15 = datetime.date(2010, 11, 15)


def test_the_task_is_routed_to_the_statistics_queue():
    route = app.amqp.router.route({}, "analytics.recompute_topic_shares")

    assert route["queue"].name == "statistics"


def test_the_beat_schedule_runs_the_catch_up_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["recompute-topic-shares"]

    assert entry["task"] == recompute_topic_shares.name
    assert entry["schedule"] == 60.0
    assert recompute_topic_shares.name in app.tasks


def test_the_task_recomputes_dirty_days(support, personas):
    enquiry_services.register_enquiry(
        support,
        by=personas["agent"],
        subject="Koden er udløbet",
        received_at=at(NOV_15),
        category=category_of(support, "midlertidig-adgangskode", "udloebet"),
    )

    result = recompute_topic_shares()

    assert result == {str(support.pk): 1}
    assert TopicShare.objects.filter(queue=support, period_start=NOV_15).exists()
    assert not DirtyDay.objects.exists()


def test_with_the_broker_down_enquiries_are_saved_and_the_catch_up_counts_them(
    support, personas, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(recompute_topic_shares, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enquiry = enquiry_services.register_enquiry(
            support, by=personas["agent"], subject="Nøglekort mistet", received_at=at(NOV_15)
        )

    assert callbacks
    assert "Could not enqueue analytics.recompute_topic_shares" in caplog.text
    enquiry.refresh_from_db()
    assert DirtyDay.objects.filter(queue=support, day=NOV_15).exists()
    # The beat's next run (here called directly) catches up.
    recompute_topic_shares()
    assert TopicShare.objects.filter(queue=support, period_start=NOV_15).exists()
