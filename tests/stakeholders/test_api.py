import datetime

import pytest
from django.urls import reverse

from enquiries.models import Topic
from stakeholders.models import FollowUp, Meeting, Organisation, Recommendation
from tests.etags import patch_json
from tests.factories import (
    ActionFactory,
    ContactFactory,
    FollowUpFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
)
from tests.stakeholders import files

D = datetime.date


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_api_creates_a_meeting_through_the_service(client_as, db):
    itst, dh = OrganisationFactory(), OrganisationFactory()
    person = ContactFactory(organisation=dh)

    response = _post(
        client_as("secretariat"),
        reverse("api:meeting-list"),
        {
            "title": "Første møde i arbejdsgruppen",
            "held_on": "2010-11-30",
            "organisations": [itst.pk, dh.pk],
            "attendees": [person.pk],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["held_on"] == "2010-11-30"
    assert sorted(body["organisations"]) == sorted([itst.pk, dh.pk])
    assert Meeting.objects.get().created_by.username == "secretariat"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "Møde", "organisations": []}, "organisations"),
        ({"title": "Møde", "organisations": [999999]}, "organisations"),
        ({"title": "Møde", "organisations": ["abc"]}, "organisations"),
        ({"title": "x" * 201, "organisations": ["ORG"]}, "title"),
        ({"title": "nul\x00", "organisations": ["ORG"]}, "title"),
        ({"title": "Møde", "organisations": ["ORG"], "held_on": "2010-13-45"}, "held_on"),
        ({"title": "Møde", "organisations": ["ORG"], "attendees": ["STRANGER"]}, "attendees"),
        ({"title": 12, "organisations": "ORG"}, "organisations"),
    ],
)
def test_api_meeting_with_bad_input_is_a_400_naming_the_field(client_as, db, data, field):
    org, stranger = OrganisationFactory(), ContactFactory()
    data = {
        key: (
            [org.pk if v == "ORG" else stranger.pk if v == "STRANGER" else v for v in value]
            if isinstance(value, list)
            else value
        )
        for key, value in data.items()
    }

    response = _post(client_as("secretariat"), reverse("api:meeting-list"), data)

    assert response.status_code == 400
    assert field in response.json()
    assert not Meeting.objects.exists()


def test_api_malformed_json_is_a_400(client_as, db):
    response = client_as("secretariat").post(
        reverse("api:meeting-list"), "{not json", content_type="application/json"
    )

    assert response.status_code == 400


def test_api_patch_meeting_keeps_the_other_fields(client_as, db):
    meeting = MeetingFactory(title="Gammel titel")
    orgs = set(meeting.organisations.all())

    response = patch_json(
        client_as("secretariat"),
        reverse("api:meeting-detail", args=[meeting.pk]),
        {"minutes": "Referat"},
    )

    assert response.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.title, meeting.minutes) == ("Gammel titel", "Referat")
    assert set(meeting.organisations.all()) == orgs


def test_api_meeting_lists_its_attachments_with_a_download_link(client_as, db):
    meeting = MeetingFactory()
    client = client_as("secretariat")

    uploaded = client.post(
        reverse("api:meeting-attachments", args=[meeting.pk]),
        {"file": files.upload("referat.pdf", files.PDF)},
    )
    detail = client.get(reverse("api:meeting-detail", args=[meeting.pk])).json()

    assert uploaded.status_code == 201
    attachment = detail["attachments"][0]
    assert attachment["original_name"] == "referat.pdf"
    assert attachment["content_type"] == "application/pdf"
    assert client.get(attachment["download_url"]).status_code == 200


def test_api_upload_of_a_wrong_type_is_a_400_on_file(client_as, db):
    meeting = MeetingFactory()

    response = client_as("secretariat").post(
        reverse("api:meeting-attachments", args=[meeting.pk]),
        {"file": files.upload("falsk.pdf", files.HTML)},
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_api_records_a_recommendation_with_its_response_and_history(client_as, taxonomy):
    maker = OrganisationFactory()
    topic = Topic.objects.get(queue__code="support", code="teknik")

    response = _post(
        client_as("secretariat"),
        reverse("api:recommendation-list"),
        {
            "organisation": maker.pk,
            "text": "NemID på smartphones",
            "topics": [topic.pk],
            "status": "in_progress",
            "response": "Vurderes.",
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["all_actions_done"] is None
    assert [event["kind"] for event in body["events"]] == ["created"]


def test_api_respond_changes_the_status_and_returns_the_history(client_as, db):
    rec = RecommendationFactory()

    response = _post(
        client_as("secretariat"),
        reverse("api:recommendation-respond", args=[rec.pk]),
        {"status": "already_addressed", "response": "Allerede.", "rationale": "Nye breve."},
    )

    assert response.status_code == 200
    events = response.json()["events"]
    assert events[-1]["kind"] == "status"
    assert (events[-1]["old_status"], events[-1]["new_status"]) == ("new", "already_addressed")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "declined", "response": "Nej."}, "rationale"),
        ({"status": "accepted"}, "response"),
        ({"status": "maybe"}, "status"),
        ({}, "status"),
        ({"status": "accepted", "response": "x" * 20001}, "response"),
    ],
)
def test_api_respond_with_bad_input_is_a_400_naming_the_field(client_as, db, data, field):
    rec = RecommendationFactory()

    response = _post(
        client_as("secretariat"), reverse("api:recommendation-respond", args=[rec.pk]), data
    )

    assert response.status_code == 400
    assert field in response.json()
    rec.refresh_from_db()
    assert rec.status == "new"


def test_api_patch_cannot_change_the_status_past_the_history(client_as, db):
    rec = RecommendationFactory()

    response = patch_json(
        client_as("secretariat"),
        reverse("api:recommendation-detail", args=[rec.pk]),
        {"status": "declined", "text": "Ny tekst"},
    )

    assert response.status_code == 200
    rec.refresh_from_db()
    assert (rec.status, rec.text) == ("new", "Ny tekst")


def test_api_recommendations_filter_like_the_page(client_as, world):
    maker = Organisation.objects.get(code="dansk-it")
    url = reverse("api:recommendation-list")

    body = client_as("manager").get(url, {"organisation": maker.pk, "status": "accepted"}).json()

    assert [rec["code"] for rec in body["results"]] == ["dansk-it-digitalt-noeglekort"]


@pytest.mark.parametrize("query", [{"status": "maybe"}, {"organisation": "abc"}, {"topic": 0}])
def test_api_bad_filter_is_a_400(client_as, world, query):
    response = client_as("manager").get(reverse("api:recommendation-list"), query)

    assert response.status_code == 400


def test_api_agent_reads_only_recommendations_on_their_topics(client_as, world):
    ministry_only = RecommendationFactory(
        topics=[Topic.objects.get(queue__code="ministry", code="privatliv")]
    )

    body = client_as("agent").get(reverse("api:recommendation-list"), {"page_size": 100}).json()

    codes = {rec["code"] for rec in body["results"]}
    assert "aeldre-sagen-sprog" in codes
    assert ministry_only.pk not in {rec["id"] for rec in body["results"]}
    assert body["count"] == Recommendation.objects.count() - 1


def test_api_follow_up_open_resolve_twice_and_reopen(client_as, db):
    itst, aeldre = OrganisationFactory(), OrganisationFactory()
    client = client_as("secretariat")

    created = _post(
        client,
        reverse("api:followup-list"),
        {
            "subject": "Feedback",
            "waiting_organisation": itst.pk,
            "awaited_organisation": aeldre.pk,
            "since_on": "2010-11-09",
        },
    )
    pk = created.json()["id"]
    resolved = _post(
        client, reverse("api:followup-resolve", args=[pk]), {"resolved_on": "2010-12-01"}
    )
    twice = _post(client, reverse("api:followup-resolve", args=[pk]), {"resolved_on": "2010-12-02"})
    reopened = _post(client, reverse("api:followup-reopen", args=[pk]), {})

    assert created.status_code == 201
    assert created.json()["is_open"] is True
    assert resolved.json()["resolved_on"] == "2010-12-01"
    assert twice.status_code == 400
    assert "resolved_on" in twice.json()
    assert reopened.json()["is_open"] is True


def test_api_follow_up_with_bad_input_is_a_400_and_saves_nothing(client_as, db):
    itst = OrganisationFactory()

    response = _post(
        client_as("secretariat"),
        reverse("api:followup-list"),
        {
            "subject": "Svar",
            "waiting_organisation": itst.pk,
            "awaited_organisation": itst.pk,
            "since_on": "2010-11-09",
            "expected_on": "2010-11-01",
        },
    )

    assert response.status_code == 400
    assert {"awaited_organisation", "expected_on"} <= response.json().keys()
    assert not FollowUp.objects.exists()


def test_api_follow_ups_list_open_first_and_filter_open(client_as, db):
    FollowUpFactory(subject="Besvaret", since_on=D(2010, 10, 1), resolved_on=D(2010, 10, 2))
    FollowUpFactory(subject="Venter", since_on=D(2010, 11, 9))
    client = client_as("manager")

    everything = client.get(reverse("api:followup-list")).json()["results"]
    open_only = client.get(reverse("api:followup-list"), {"is_open": "true"}).json()["results"]

    assert [f["subject"] for f in everything] == ["Venter", "Besvaret"]
    assert [f["subject"] for f in open_only] == ["Venter"]
    assert everything[0]["days_waiting"] > 0


def test_api_organisation_gets_a_code_from_its_name(client_as, db):
    response = _post(
        client_as("secretariat"),
        reverse("api:organisation-list"),
        {"name": "Ældre Sagen", "kind": "interest_organisation"},
    )

    assert response.status_code == 201
    assert response.json()["code"] == "aeldre-sagen"


def test_api_organisation_with_a_taken_code_is_a_400(client_as, db):
    OrganisationFactory(code="dh")

    response = _post(
        client_as("secretariat"),
        reverse("api:organisation-list"),
        {"name": "Noget andet", "code": "dh", "kind": "media"},
    )

    assert response.status_code == 400
    assert "code" in response.json()


def test_api_working_group_needs_members(client_as, db):
    response = _post(
        client_as("secretariat"),
        reverse("api:workinggroup-list"),
        {"name": "Gruppe", "purpose": "Formål", "members": []},
    )

    assert response.status_code == 400
    assert "members" in response.json()


def test_schema_documents_every_stakeholder_route_with_error_responses(client_as, db):
    schema = client_as("admin").get(reverse("api-schema"), {"format": "json"}).json()

    paths = schema["paths"]
    for path in (
        "/api/v1/organisations/",
        "/api/v1/contacts/",
        "/api/v1/working-groups/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/attachments/",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/{id}/respond/",
        "/api/v1/follow-ups/",
        "/api/v1/follow-ups/{id}/resolve/",
    ):
        assert path in paths, path
    assert {"400", "403"} <= paths["/api/v1/recommendations/"]["post"]["responses"].keys()
    assert {"400", "403", "404"} <= (
        paths["/api/v1/recommendations/{id}/respond/"]["post"]["responses"].keys()
    )
    params = {p["name"] for p in paths["/api/v1/recommendations/"]["get"]["parameters"]}
    assert {"organisation", "status", "meeting", "topic"} <= params


def test_api_recommendation_says_whether_every_action_it_led_to_is_done(client_as, db):
    rec = RecommendationFactory()
    pamphlet = ActionFactory(title="Pjece", owner=rec.organisation, status="done")
    guide = ActionFactory(title="Vejledning", owner=rec.organisation, status="in_progress")
    for action in (pamphlet, guide):
        action.origin_recommendations.add(rec)
    url = reverse("api:recommendation-detail", args=[rec.pk])

    before = client_as("manager").get(url).json()
    guide.status = "done"
    guide.save()
    after = client_as("manager").get(url).json()

    assert (before["action_count"], before["open_action_count"]) == (2, 1)
    assert before["all_actions_done"] is False
    assert sorted(a["title"] for a in before["actions"]) == ["Pjece", "Vejledning"]
    assert (after["open_action_count"], after["all_actions_done"]) == (0, True)
