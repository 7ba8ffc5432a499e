import pytest
from django.core import serializers

from enquiries.models import Topic
from seed.report.stakeholders import (
    FOLLOW_UPS,
    MEETINGS,
    ORGANISATIONS,
    RECOMMENDATIONS,
    load_stakeholder_data,
)
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)

MODELS = [Organisation, Contact, WorkingGroup, Meeting, Recommendation, FollowUp]


def _snapshot() -> str:
    rows = [row for model in MODELS for row in model.objects.order_by("pk")]
    return serializers.serialize("json", rows)


@pytest.mark.django_db
def test_load_stakeholder_data_loads_the_taxonomy_when_topics_are_missing():
    assert not Topic.objects.exists()

    load_stakeholder_data()

    rec = Recommendation.objects.get(code="dh-tilgaengelighed")
    assert {(t.queue.code, t.code) for t in rec.topics.all()} == {
        ("support", "tilgaengelighed"),
        ("ministry", "tilgaengelighed"),
        ("press", "tilgaengelighed"),
    }


@pytest.mark.django_db
def test_load_stakeholder_data_creates_the_reports_world(taxonomy):
    counts = load_stakeholder_data()

    assert counts["organisations"] == len(ORGANISATIONS) == 20
    assert counts["meetings"] == len(MEETINGS) == 6
    assert counts["recommendations"] == len(RECOMMENDATIONS) == 12
    assert counts["follow_ups"] == len(FOLLOW_UPS)
    assert set(
        Organisation.objects.filter(is_taskforce_member=True).values_list("code", flat=True)
    ) == {"itst", "danid", "finansraadet"}
    assert Organisation.objects.get(code="dh").short_name == "DH"

    meeting = Meeting.objects.get(code="aeldremobiliseringen-2010-11-09")
    assert str(meeting.held_on) == "2010-11-09"
    assert set(meeting.organisations.values_list("code", flat=True)) == {
        "itst",
        "danid",
        "aeldre-sagen",
        "aeldremobiliseringen",
    }
    assert set(meeting.attendees.values_list("name", flat=True)) == {
        "Center for Digital Signatur",
        "Kontoret for it-kompetencer og tilgængelighed",
    }
    assert Meeting.objects.get(code="forbrugerraadet").held_on is None

    group = WorkingGroup.objects.get(code="dh-arbejdsgruppe")
    assert set(group.members.values_list("code", flat=True)) == {"danid", "bankerne", "itst"}
    assert list(group.meetings.values_list("code", flat=True)) == ["dh-arbejdsgruppe-2010-11-30"]

    sprog = Recommendation.objects.get(code="aeldre-sagen-sprog")
    assert sprog.status == Recommendation.Status.ALREADY_ADDRESSED
    assert sprog.response == "I NemID-projektet adresseres de nævnte anbefalinger allerede."
    assert sprog.meeting.code == "aeldre-sagen-2010-11-25"
    assert str(sprog.received_on) == "2010-11-25"
    dh = Recommendation.objects.get(code="dh-tilgaengelighed")
    assert dh.meeting is None
    assert all(r.rationale and r.response for r in Recommendation.objects.all())

    feedback = FollowUp.objects.get(code="aeldremobiliseringen-feedback")
    assert feedback.is_open
    assert feedback.waiting_organisation.code == "itst"
    assert feedback.awaited_organisation.code == "aeldremobiliseringen"
    assert "Ældremobiliseringens feedback" in feedback.notes


@pytest.mark.django_db
def test_load_stakeholder_data_twice_changes_nothing(taxonomy):
    load_stakeholder_data()
    before = _snapshot()

    counts = load_stakeholder_data()

    assert set(counts.values()) == {0}
    assert _snapshot() == before


@pytest.mark.django_db
def test_load_stakeholder_data_keeps_what_the_secretariat_changed(taxonomy):
    load_stakeholder_data()
    FollowUp.objects.filter(code="dh-indbydelse").update(resolved_on="2010-12-10")
    Recommendation.objects.filter(code="dansk-it-smartphone").update(status="accepted")

    load_stakeholder_data()

    assert str(FollowUp.objects.get(code="dh-indbydelse").resolved_on) == "2010-12-10"
    assert Recommendation.objects.get(code="dansk-it-smartphone").status == "accepted"


@pytest.mark.django_db
def test_load_stakeholder_data_adopts_an_organisation_entered_by_hand(taxonomy):
    Organisation.objects.create(code="", name="DanID", kind=Organisation.Kind.OPERATOR)

    load_stakeholder_data()

    assert Organisation.objects.filter(name="DanID").get().code == "danid"
