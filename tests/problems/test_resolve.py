import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enquiries import services as enquiry_services
from enquiries.models import Enquiry, EnquiryEvent, Notification
from notices.models import StandardText
from notices.services import add_standard_text_version, ensure_standard_text
from problems import services
from problems.models import KnownProblem, KnownProblemResolution
from tests.factories import CitizenFactory, EnquiryFactory

Status = Enquiry.Status


@pytest.fixture
def standard_text(db):
    return ensure_standard_text(
        services.RESOLVED_TEXT_CODE,
        kind=StandardText.Kind.RESOLUTION,
        text_da="Fejlen “{title}” er rettet. Du kan nu aktivere NemID.",
        text_en="The fault “{title}” is fixed. You can now activate NemID.",
        valid_from=timezone.now() - datetime.timedelta(days=1),
    )[0]


def link(problem, enquiries, by):
    ids = [e.pk for e in enquiries]
    return services.link_enquiries(problem, Enquiry.objects.filter(pk__in=ids), by=by)


def test_resolve_known_problem_resolves_linked_open_enquiries_in_one_batch(
    problem, category, personas, standard_text
):
    lead = personas["team_lead"]
    with_mail = CitizenFactory(email="borger@example.invalid")
    phone_only = CitizenFactory(email="")
    first = EnquiryFactory(category=category, citizen=with_mail)
    second = EnquiryFactory(category=category, citizen=with_mail)
    third = EnquiryFactory(category=category, citizen=phone_only, resolution="Egen løsning")
    done = EnquiryFactory(category=category, citizen=with_mail, status=Status.CLOSED)
    unlinked = EnquiryFactory(category=category)
    link(problem, [first, second, third, done], personas["agent"])

    record = services.resolve_known_problem(problem, by=lead, resolution="Rettet i release 2.3")

    statuses = dict(Enquiry.objects.values_list("pk", "status"))
    assert [statuses[e.pk] for e in (first, second, third)] == [Status.RESOLVED] * 3
    assert (statuses[done.pk], statuses[unlinked.pk]) == (Status.CLOSED, Status.NEW)
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.resolution == "Rettet i release 2.3"
    assert third.resolution == "Egen løsning"
    assert first.resolved_at == record.resolved_at
    events = EnquiryEvent.objects.filter(batch=record.batch)
    assert sorted(events.values_list("enquiry_id", flat=True)) == sorted(
        [first.pk, second.pk, third.pk]
    )
    assert set(events.values_list("kind", "old_value", "new_value", "actor")) == {
        (EnquiryEvent.Kind.STATUS, Status.NEW, Status.RESOLVED, lead.pk)
    }
    # One e-mail per citizen with an address, whatever their enquiries.
    mails = Notification.objects.filter(key__startswith=f"known-problem:{record.batch}:")
    assert list(mails.values_list("recipient", flat=True)) == ["borger@example.invalid"]
    assert "Aktivering kun til netbank" in mails.get().body
    assert "You can now activate NemID" in mails.get().body
    assert (record.enquiry_count, record.citizen_count, record.notified_count) == (3, 2, 1)
    assert (record.text_code, record.text_version) == (services.RESOLVED_TEXT_CODE, 1)
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_by) == (KnownProblem.Status.RESOLVED, lead)


def test_resolution_keeps_the_text_version_it_sent(problem, category, personas, standard_text):
    link(problem, [EnquiryFactory(category=category)], personas["agent"])
    record = services.resolve_known_problem(
        problem, by=personas["secretariat"], resolution="Rettet"
    )

    add_standard_text_version(
        services.RESOLVED_TEXT_CODE,
        kind=StandardText.Kind.RESOLUTION,
        text_da="Ny tekst",
        text_en="New text",
    )

    record.refresh_from_db()
    assert record.text_version == 1
    assert "Ny tekst" not in record.body


def test_resolving_twice_is_refused(problem, category, personas, standard_text):
    link(problem, [EnquiryFactory(category=category)], personas["agent"])
    services.resolve_known_problem(problem, by=personas["team_lead"], resolution="Rettet")

    with pytest.raises(ValidationError):
        services.resolve_known_problem(problem, by=personas["team_lead"], resolution="Igen")

    assert KnownProblemResolution.objects.count() == 1


def test_without_a_standard_text_nothing_is_resolved(problem, category, personas):
    enquiry = EnquiryFactory(category=category, citizen=CitizenFactory(email="a@example.invalid"))
    link(problem, [enquiry], personas["agent"])

    with pytest.raises(ValidationError) as error:
        services.resolve_known_problem(problem, by=personas["team_lead"], resolution="Rettet")

    assert "standard_text" in error.value.message_dict
    enquiry.refresh_from_db()
    assert enquiry.status == Status.NEW
    assert not EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.STATUS).exists()
    assert not Notification.objects.exists()
    problem.refresh_from_db()
    assert problem.is_open


def test_resolve_requires_the_permission_and_a_resolution(problem, personas, standard_text):
    with pytest.raises(PermissionDenied):
        services.resolve_known_problem(problem, by=personas["agent"], resolution="Rettet")
    with pytest.raises(ValidationError) as error:
        services.resolve_known_problem(problem, by=personas["team_lead"], resolution="  ")

    assert "resolution" in error.value.message_dict


def test_a_waiting_enquiry_gets_its_paused_time_added(
    problem, category, support, personas, standard_text
):
    agent = personas["agent"]
    enquiry = enquiry_services.register_enquiry(
        support, by=agent, subject="Venter", category=category
    )
    enquiry_services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent)
    enquiry_services.transition_enquiry(enquiry, to=Status.WAITING, by=agent)
    paused_at = timezone.now() - datetime.timedelta(days=3)
    Enquiry.objects.filter(pk=enquiry.pk).update(sla_paused_at=paused_at)
    link(problem, [enquiry], agent)

    services.resolve_known_problem(problem, by=personas["team_lead"], resolution="Rettet")

    enquiry.refresh_from_db()
    assert enquiry.status == Status.RESOLVED
    assert enquiry.sla_paused_at is None
    assert enquiry.sla_paused_time > datetime.timedelta(0)
