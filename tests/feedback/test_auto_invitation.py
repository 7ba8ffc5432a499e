"""The rating link e-mailed by itself on resolution, in queues that opt in."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from enquiries import services as enquiry_services
from enquiries.models import Enquiry, Notification
from enquiries.notifications import deliver_notifications
from feedback import services
from feedback.models import EnquiryRating
from tests.factories import CitizenFactory
from tests.feedback.conftest import resolve

Status = Enquiry.Status


@pytest.fixture
def opted_in(support):
    support.is_auto_rating_invitation = True
    support.save(update_fields=["is_auto_rating_invitation"])
    return support


def test_queues_do_not_send_the_link_unless_they_opt_in(resolved):
    assert not resolved.queue.is_auto_rating_invitation
    assert not Notification.objects.exists()


def test_resolving_in_an_opted_in_queue_e_mails_the_link_after_commit(
    opted_in, category, citizen, personas, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enquiry = resolve(opted_in, personas["agent"], citizen=citizen, category=category)

    (notification,) = Notification.objects.all()
    assert notification.key == services.invitation_key(enquiry)
    assert notification.recipient == "karen@example.invalid"
    assert callbacks, "the delivery is enqueued only on commit"
    assert ("enquiries.tasks.deliver_notifications", "notifications") in broker.tasks()
    assert deliver_notifications() == 1
    (sent,) = mail.outbox
    token = sent.body.split("/rate/")[1].split("/")[0]
    assert services.read_rating_token(token) == enquiry
    assert not EnquiryRating.objects.exists(), "the e-mail itself records nothing"


def test_no_link_without_an_address_and_the_resolution_still_succeeds(opted_in, personas):
    agent = personas["agent"]
    no_email = resolve(opted_in, agent, citizen=CitizenFactory(email=""))
    no_citizen = resolve(opted_in, agent)

    assert no_email.status == no_citizen.status == Status.RESOLVED
    assert not Notification.objects.exists()


def test_other_transitions_send_nothing(opted_in, category, citizen, personas):
    agent = personas["agent"]
    enquiry = enquiry_services.register_enquiry(
        opted_in, by=agent, subject="Nøglekort", category=category, citizen=citizen
    )
    for status in (Status.IN_PROGRESS, Status.WAITING):
        enquiry_services.transition_enquiry(enquiry, to=status, by=agent)
    assert not Notification.objects.exists()

    enquiry_services.transition_enquiry(enquiry, to=Status.RESOLVED, by=agent, resolution="Ok")
    enquiry_services.transition_enquiry(enquiry, to=Status.CLOSED, by=agent)

    assert Notification.objects.count() == 1


def test_the_agents_button_then_finds_the_link_already_sent(opted_in, category, citizen, personas):
    enquiry = resolve(opted_in, personas["agent"], citizen=citizen, category=category)

    notification, created = services.send_rating_invitation(enquiry, by=personas["agent"])

    assert not created
    assert Notification.objects.get() == notification


@pytest.mark.parametrize(("rated", "links"), [(True, 1), (False, 2)])
def test_an_enquiry_resolved_again_gets_a_new_link_unless_it_is_rated(
    opted_in, category, citizen, personas, rated, links
):
    agent = personas["agent"]
    enquiry = resolve(opted_in, agent, citizen=citizen, category=category)
    first_resolution = enquiry.resolved_at
    if rated:
        services.record_rating(enquiry, score=5, source=EnquiryRating.Source.AGENT, by=agent)
    enquiry_services.reopen_enquiry(enquiry, by=agent)

    enquiry_services.transition_enquiry(
        enquiry,
        to=Status.RESOLVED,
        by=agent,
        resolution="Igen",
        now=first_resolution + datetime.timedelta(hours=1),
    )

    assert Notification.objects.count() == links


def test_a_refused_resolution_writes_no_e_mail(opted_in, category, citizen, personas):
    enquiry = enquiry_services.register_enquiry(
        opted_in, by=personas["agent"], subject="Kode", category=category, citizen=citizen
    )

    with pytest.raises(enquiry_services.ValidationError):
        enquiry_services.transition_enquiry(enquiry, to=Status.RESOLVED, by=personas["agent"])

    assert not Notification.objects.exists()


def test_resolving_on_the_page_shows_the_link_as_sent(
    client_as, opted_in, category, citizen, personas
):
    enquiry = enquiry_services.register_enquiry(
        opted_in, by=personas["agent"], subject="Kode", category=category, citizen=citizen
    )
    client = client_as("agent")
    url = reverse("enquiries:transition", kwargs={"reference": enquiry.reference})

    response = client.post(url, {"status": "resolved", "resolution": "Ny kode bestilt."})
    page = client.get(reverse("enquiries:detail", kwargs={"reference": enquiry.reference}))

    assert response.status_code == 302
    assert Notification.objects.get().recipient == citizen.email
    assert "karen@example.invalid" in page.content.decode()
    assert page.context["invitation"] is not None


def test_bulk_resolution_invites_each_citizen_once(opted_in, category, personas):
    agent = personas["agent"]
    enquiries = [
        enquiry_services.register_enquiry(
            opted_in,
            by=agent,
            subject=f"Kode {n}",
            category=category,
            citizen=CitizenFactory(email=f"borger{n}@example.invalid"),
        )
        for n in range(3)
    ]
    Enquiry.objects.filter(pk__in=[e.pk for e in enquiries]).update(resolution="Løst i bulk")

    enquiry_services.bulk_triage(
        enquiries, by=personas["team_lead"], changes={}, status=Status.RESOLVED
    )

    assert sorted(Notification.objects.values_list("recipient", flat=True)) == [
        "borger0@example.invalid",
        "borger1@example.invalid",
        "borger2@example.invalid",
    ]


def test_resolving_through_the_api_e_mails_the_link_too(
    client_as, opted_in, category, citizen, personas
):
    enquiry = enquiry_services.register_enquiry(
        opted_in, by=personas["agent"], subject="Kode", category=category, citizen=citizen
    )

    response = client_as("agent").post(
        f"/api/v1/enquiries/{enquiry.pk}/transition/",
        {"status": "resolved", "resolution": "Ny kode bestilt."},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert Notification.objects.get().key == services.invitation_key(
        Enquiry.objects.get(pk=enquiry.pk)
    )


def test_an_administrator_switches_the_option_on_in_the_queue_admin(client_as, opted_in):
    client = client_as("admin")

    listing = client.get(
        reverse("admin:enquiries_queue_changelist"), {"is_auto_rating_invitation__exact": "1"}
    )
    change = client.get(reverse("admin:enquiries_queue_change", args=[opted_in.pk]))

    assert listing.status_code == change.status_code == 200
    assert list(listing.context["cl"].result_list) == [opted_in]
    assert change.context["adminform"].form["is_auto_rating_invitation"].value() is True
