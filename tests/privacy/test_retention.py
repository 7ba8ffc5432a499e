"""Retention: closed enquiries and their citizens anonymised after their period."""

import pytest
from django.db.models import Q

from enquiries import services as enquiry_services
from enquiries.models import Citizen, CprReveal, Enquiry, EnquiryEvent, Notification
from feedback.models import EnquiryRating
from privacy import services, tasks
from privacy.anonymise import marker
from privacy.models import Anonymisation, RetentionPolicy
from tests.factories import CitizenFactory
from tests.privacy.conftest import CPR, closed_enquiry, later

pytestmark = pytest.mark.django_db


def test_a_closed_enquiry_past_its_period_loses_its_free_text(closed, default_policy):
    counts = services.anonymise_expired(now=later(366))

    enquiry = Enquiry.objects.get(pk=closed.pk)
    assert counts == {"enquiries": 1, "citizens": 1}
    assert enquiry.anonymised_at is not None
    assert enquiry.subject == marker() and enquiry.description == ""
    assert enquiry.resolution == marker()
    texts = set(EnquiryEvent.objects.filter(enquiry=enquiry).values_list("text", flat=True))
    assert texts <= {"", marker()}
    assert EnquiryRating.objects.get(enquiry=enquiry).comment == ""


def test_what_the_statistics_count_is_kept(closed, default_policy):
    fields = [
        "reference", "queue_id", "channel", "received_at", "category_id", "topic_id",
        "priority", "status", "language", "first_responded_at", "resolved_at", "closed_at",
        "first_response_due_at", "resolution_due_at", "escalation_level", "citizen_id",
        "team_id", "assignee_id",
    ]  # fmt: skip
    before = Enquiry.objects.filter(pk=closed.pk).values(*fields).get()
    events_before = list(
        EnquiryEvent.objects.filter(enquiry=closed).values_list(
            "kind", "actor_id", "created_at", "old_value", "new_value"
        )
    )

    services.anonymise_expired(now=later(366))

    assert Enquiry.objects.filter(pk=closed.pk).values(*fields).get() == before
    assert events_before == list(
        EnquiryEvent.objects.filter(enquiry=closed).values_list(
            "kind", "actor_id", "created_at", "old_value", "new_value"
        )
    )
    assert EnquiryRating.objects.get(enquiry=closed).score == 4


def test_the_citizen_loses_identity_cpr_and_contact_data(closed, citizen, default_policy):
    services.anonymise_expired(now=later(366))

    citizen = Citizen.objects.get(pk=citizen.pk)
    assert citizen.anonymised_at is not None
    assert citizen.name == marker()
    assert (citizen.cpr_ciphertext, citizen.cpr_digest, citizen.cpr_masked) == ("", None, "")
    assert (citizen.email, citizen.phone, citizen.phone_digits, citizen.address) == ("",) * 4
    assert citizen.needs == []
    assert not Citizen.objects.with_cpr(CPR).exists()


def test_the_emails_about_the_enquiry_lose_its_text_and_the_citizens_address(
    closed, default_policy
):
    services.anonymise_expired(now=later(366))

    invitation = Notification.objects.get(key__startswith=f"rating-invitation:{closed.pk}:")
    escalation = Notification.objects.get(key__startswith="enquiry-event:")
    assert (invitation.recipient, invitation.subject, invitation.body) == (
        "",
        marker(),
        marker(),
    )
    assert "Karen" not in escalation.body and escalation.recipient == "lead@example.invalid"


def test_an_unsent_rating_email_is_never_sent_after(closed, default_policy):
    services.anonymise_expired(now=later(366))

    invitation = Notification.objects.get(key__startswith=f"rating-invitation:{closed.pk}:")
    assert invitation.sent_at is None
    assert not Notification.objects.pending(later(366)).filter(pk=invitation.pk).exists()


def test_no_trace_of_the_personal_data_is_left_in_any_text(closed, citizen, default_policy):
    services.anonymise_expired(now=later(366))

    for model, fields in [
        (Enquiry, ["subject", "description", "resolution"]),
        (EnquiryEvent, ["text", "old_label", "new_label"]),
        (Notification, ["recipient", "subject", "body"]),
        (EnquiryRating, ["comment"]),
        (Citizen, ["name", "email", "phone", "address"]),
    ]:
        for word in ("Karen", "Nørregade", "karen@", "20 30 40 50"):
            found = Q()
            for field in fields:
                found |= Q(**{f"{field}__contains": word})
            assert not model.objects.filter(found).exists(), (model.__name__, word)


def test_an_enquiry_within_its_period_is_kept(closed, default_policy):
    counts = services.anonymise_expired(now=later(364))

    assert counts == {"enquiries": 0, "citizens": 0}
    assert Enquiry.objects.get(pk=closed.pk).subject == closed.subject


def test_without_a_policy_nothing_is_anonymised(closed):
    assert services.anonymise_expired(now=later(100 * 365)) == {"enquiries": 0, "citizens": 0}


def test_open_enquiries_are_never_anonymised_and_keep_their_citizen(
    support, category, citizen, personas, closed, default_policy
):
    still_open = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Stadig åben", citizen=citizen
    )

    services.anonymise_expired(now=later(366))

    assert Enquiry.objects.get(pk=closed.pk).anonymised_at is not None
    assert Enquiry.objects.get(pk=still_open.pk).anonymised_at is None
    assert Citizen.objects.get(pk=citizen.pk).name == "Karen Jensen"


def test_the_citizen_goes_with_their_last_kept_enquiry(
    support, category, citizen, personas, closed, default_policy
):
    still_open = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Stadig åben", citizen=citizen
    )
    services.anonymise_expired(now=later(366))
    enquiry_services.transition_enquiry(
        still_open, to=Enquiry.Status.RESOLVED, by=personas["agent"], resolution="Løst"
    )

    counts = services.anonymise_expired(now=later(800))

    assert counts == {"enquiries": 1, "citizens": 1}
    assert Citizen.objects.get(pk=citizen.pk).anonymised_at is not None


def test_the_category_policy_wins_over_the_queue_and_the_default(
    support, category, personas, default_policy
):
    RetentionPolicy.objects.create(queue=support, retain_days=200)
    RetentionPolicy.objects.create(category=category, retain_days=100)
    other = support.topics.exclude(pk=category.topic_id).first().categories.first()
    in_category = closed_enquiry(support, personas["agent"], category=category)
    in_queue = closed_enquiry(support, personas["agent"], category=other)

    services.anonymise_expired(now=later(150))

    assert Enquiry.objects.get(pk=in_category.pk).anonymised_at is not None
    assert Enquiry.objects.get(pk=in_queue.pk).anonymised_at is None
    services.anonymise_expired(now=later(250))
    assert Enquiry.objects.get(pk=in_queue.pk).anonymised_at is not None


def test_the_default_governs_the_queues_without_a_policy(taxonomy, personas, default_policy):
    RetentionPolicy.objects.create(queue=taxonomy["support"], retain_days=3000)
    letter = closed_enquiry(taxonomy["ministry"], personas["admin"])
    call = closed_enquiry(taxonomy["support"], personas["admin"])

    services.anonymise_expired(now=later(400))

    assert Enquiry.objects.get(pk=letter.pk).anonymised_at is not None
    assert Enquiry.objects.get(pk=call.pk).anonymised_at is None


def test_each_anonymisation_is_recorded_with_its_policy_and_no_personal_data(
    closed, citizen, default_policy
):
    now = later(366)
    services.anonymise_expired(now=now)

    records = {
        (r.cause, r.enquiry_id, r.citizen_id, r.policy_id, r.anonymised_at)
        for r in Anonymisation.objects.all()
    }
    assert records == {
        ("retention", closed.pk, None, default_policy.pk, now),
        ("retention", None, citizen.pk, default_policy.pk, now),
    }
    assert set(Anonymisation.objects.values_list("rule", flat=True)) == {str(default_policy)}


def test_a_second_run_anonymises_and_records_nothing(closed, default_policy):
    now = later(366)
    services.anonymise_expired(now=now)

    assert services.anonymise_expired(now=now) == {"enquiries": 0, "citizens": 0}
    assert services.anonymise_expired(now=later(900)) == {"enquiries": 0, "citizens": 0}
    assert Anonymisation.objects.count() == 2


def test_a_run_stops_after_its_batches_and_the_next_one_goes_on(support, personas, default_policy):
    enquiries = [closed_enquiry(support, personas["agent"]) for _ in range(5)]

    first = services.anonymise_expired(now=later(366), batch_size=2, max_batches=1)
    second = services.anonymise_expired(now=later(366), batch_size=2, max_batches=5)

    assert first["enquiries"] == 2 and second["enquiries"] == 3
    assert not Enquiry.objects.filter(
        pk__in=[e.pk for e in enquiries], anonymised_at__isnull=True
    ).exists()


def test_a_citizen_without_enquiries_goes_after_the_default_period(default_policy):
    lonely = CitizenFactory(name="Ole Olsen", cpr="0101801234")

    assert services.anonymise_expired(now=later(364))["citizens"] == 0
    assert services.anonymise_expired(now=later(366))["citizens"] == 1
    assert Citizen.objects.get(pk=lonely.pk).cpr_digest is None


def test_the_reveal_log_of_an_anonymised_citizen_is_kept(closed, citizen, personas, default_policy):
    enquiry_services.reveal_cpr(citizen, by=personas["team_lead"], reason="Kontrol af identitet")

    services.anonymise_expired(now=later(366))

    reveal = CprReveal.objects.get(citizen=citizen)
    assert (reveal.revealed_by, reveal.reason) == (personas["team_lead"], "Kontrol af identitet")


def test_a_citizen_named_on_another_enquirys_timeline_is_removed_there_too(
    support, personas, citizen, default_policy
):
    agent = personas["agent"]
    moved = enquiry_services.register_enquiry(support, by=agent, subject="Flyttet", citizen=citizen)
    someone_else = CitizenFactory(name="Ole Olsen")
    enquiry_services.update_enquiry(moved, by=agent, changes={"citizen": someone_else})

    services.anonymise_expired(now=later(366))

    line = EnquiryEvent.objects.get(enquiry=moved, kind=EnquiryEvent.Kind.CITIZEN)
    assert (line.old_label, line.new_label) == ("", "Ole Olsen")


def test_the_beat_task_runs_the_sweep(closed, default_policy, settings, monkeypatch):
    moment = later(366)
    monkeypatch.setattr("privacy.tasks.timezone.now", lambda: moment)

    assert tasks.anonymise_expired() == {"enquiries": 1, "citizens": 1}
    assert "anonymise-expired-enquiries" in settings.CELERY_BEAT_SCHEDULE


def test_the_command_runs_the_sweep_until_nothing_is_left(support, personas, settings):
    from django.core.management import call_command

    for _ in range(3):
        closed_enquiry(support, personas["agent"])
    call_command("apply_retention")
    assert not Enquiry.objects.filter(anonymised_at__isnull=False).exists()
    RetentionPolicy.objects.create(retain_days=30)
    settings.RETENTION_BATCH_SIZE, settings.RETENTION_MAX_BATCHES = 1, 1

    with pytest.MonkeyPatch.context() as patch:
        moment = later(31)
        patch.setattr("privacy.management.commands.apply_retention.timezone.now", lambda: moment)
        call_command("apply_retention")

    assert not Enquiry.objects.filter(anonymised_at__isnull=True).exists()


def test_an_anonymised_enquiry_takes_no_new_personal_data(closed, personas, default_policy):
    from django.core.exceptions import ValidationError

    services.anonymise_expired(now=later(366))
    agent = personas["agent"]

    for change in [
        lambda: enquiry_services.reopen_enquiry(closed, by=agent, note="Ringede igen"),
        lambda: enquiry_services.add_note(closed, by=agent, text="Karen ringede"),
        lambda: enquiry_services.update_enquiry(closed, by=agent, changes={"subject": "Karen"}),
        lambda: enquiry_services.update_enquiry(
            closed, by=agent, changes={"citizen": CitizenFactory()}
        ),
    ]:
        with pytest.raises(ValidationError, match="anonymised"):
            change()

    assert Enquiry.objects.get(pk=closed.pk).subject == marker()
    # What carries no personal data can still be corrected.
    assert enquiry_services.update_enquiry(closed, by=agent, changes={"priority": 3}) == [
        "priority"
    ]
