"""Erasure on request (GDPR art. 17): at once, atomic, idempotent, the reason kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enquiries import services as enquiry_services
from enquiries.models import Citizen, CprReveal, Enquiry, EnquiryEvent
from feedback.models import EnquiryRating
from privacy import services
from privacy.anonymise import marker
from privacy.models import Anonymisation, DataRequest
from tests.privacy.conftest import CPR, closed_enquiry

pytestmark = pytest.mark.django_db


def erase(citizen, personas, reason="Borgeren bad om sletning pr. brev 3. marts"):
    return services.erase_citizen(citizen, by=personas["secretariat"], reason=reason)


def test_erasure_anonymises_the_citizen_and_their_enquiries_at_once(
    citizen, closed, personas, support, category
):
    second = closed_enquiry(support, personas["agent"], citizen=citizen, category=category)

    request = erase(citizen, personas)

    citizen = Citizen.objects.get(pk=citizen.pk)
    assert citizen.name == marker() and citizen.cpr_digest is None and citizen.email == ""
    assert not Citizen.objects.with_cpr(CPR).exists()
    for enquiry in Enquiry.objects.filter(pk__in=[closed.pk, second.pk]):
        assert enquiry.subject == marker() and enquiry.description == ""
        assert enquiry.anonymised_at == request.handled_at
    assert not EnquiryEvent.objects.filter(text__contains="Ringede").exists()
    assert not EnquiryRating.objects.exclude(comment="").exists()


def test_erasure_keeps_the_cases_their_dates_classification_and_the_logs(citizen, closed, personas):
    enquiry_services.reveal_cpr(citizen, by=personas["team_lead"], reason="Identitet")
    kept = ["reference", "queue_id", "category_id", "status", "received_at", "resolved_at"]
    before = Enquiry.objects.filter(pk=closed.pk).values(*kept).get()

    request = erase(citizen, personas)

    assert Enquiry.objects.filter(pk=closed.pk).values(*kept).get() == before
    assert Enquiry.objects.get(pk=closed.pk).citizen_id == citizen.pk
    assert CprReveal.objects.get(citizen=citizen).reason == "Identitet"
    assert (request.kind, request.reason, request.handled_by, request.enquiry_count) == (
        "erasure",
        "Borgeren bad om sletning pr. brev 3. marts",
        personas["secretariat"],
        1,
    )
    assert set(Anonymisation.objects.values_list("cause", "enquiry_id", "citizen_id")) == {
        ("erasure", closed.pk, None),
        ("erasure", None, citizen.pk),
    }
    assert set(Anonymisation.objects.values_list("data_request", flat=True)) == {request.pk}


def test_erasing_twice_erases_once_and_returns_the_first_request(citizen, closed, personas):
    first = erase(citizen, personas)

    again = erase(citizen, personas, reason="Anden henvendelse om det samme")

    assert again == first
    assert DataRequest.objects.count() == 1 and Anonymisation.objects.count() == 2


def test_an_open_enquiry_refuses_the_erasure_naming_it_and_changes_nothing(
    citizen, closed, personas, support
):
    still_open = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Åben sag", citizen=citizen
    )

    with pytest.raises(ValidationError) as refused:
        erase(citizen, personas)

    assert list(refused.value.message_dict) == ["citizen"]
    assert still_open.reference in refused.value.message_dict["citizen"][0]
    assert Citizen.objects.get(pk=citizen.pk).name == "Karen Jensen"
    assert Enquiry.objects.get(pk=closed.pk).anonymised_at is None
    assert not DataRequest.objects.exists() and not Anonymisation.objects.exists()


def test_a_failure_midway_leaves_everything_as_it_was(citizen, closed, personas, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("privacy.services.anonymise_citizens", broken)

    with pytest.raises(RuntimeError):
        erase(citizen, personas)

    assert Enquiry.objects.get(pk=closed.pk).subject == closed.subject
    assert not DataRequest.objects.exists() and not Anonymisation.objects.exists()


def test_a_citizen_without_enquiries_is_erased_too(citizen, personas):
    request = erase(citizen, personas)

    assert request.enquiry_count == 0
    assert Citizen.objects.get(pk=citizen.pk).anonymised_at is not None


def test_a_citizen_anonymised_by_retention_still_gets_the_request_recorded(
    citizen, closed, personas
):
    from privacy.models import RetentionPolicy
    from tests.privacy.conftest import later

    RetentionPolicy.objects.create(retain_days=365)
    services.anonymise_expired(now=later(400))

    request = erase(citizen, personas)

    assert request.enquiry_count == 0 and request.reason.startswith("Borgeren")


@pytest.mark.parametrize(
    ("reason", "field"),
    [("", "reason"), ("  ", "reason"), ("Brev fra 110682-1449", "reason"), ("x" * 501, "reason")],
)
def test_a_bad_reason_is_refused_naming_it(citizen, closed, personas, reason, field):
    with pytest.raises(ValidationError) as refused:
        erase(citizen, personas, reason=reason)

    assert list(refused.value.message_dict) == [field]
    assert Citizen.objects.get(pk=citizen.pk).anonymised_at is None


@pytest.mark.parametrize("persona", ["agent", "team_lead", "manager"])
def test_only_the_roles_that_handle_requests_may_erase(citizen, personas, persona):
    with pytest.raises(PermissionDenied):
        services.erase_citizen(citizen, by=personas[persona], reason="Vil slette")

    assert Citizen.objects.get(pk=citizen.pk).anonymised_at is None
