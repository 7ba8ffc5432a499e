import datetime

import pytest
from django.urls import reverse

from actions.models import Action, Theme
from enquiries.models import Topic
from stakeholders.models import (
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)
from tests.factories import (
    ContactFactory,
    FollowUpFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
)

D = datetime.date


def _html(response) -> str:
    return response.content.decode()


def test_secretariat_records_a_meeting_and_lands_on_its_page(client_as, db):
    itst, dh = OrganisationFactory(name="ITST"), OrganisationFactory(name="DH")
    person = ContactFactory(organisation=dh)

    response = client_as("secretariat").post(
        reverse("stakeholders:meeting-create"),
        {
            "title": "Møde med DH",
            "held_on": "2010-11-30",
            "organisations": [itst.pk, dh.pk],
            "attendees": [person.pk],
            "minutes": "Referat.",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert set(meeting.organisations.all()) == {itst, dh}
    assert meeting.held_on == D(2010, 11, 30)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "Ensure this value has at most 200 characters"),
        ({"organisations": []}, "organisations", "This field is required."),
        ({"organisations": ["999999"]}, "organisations", "Select a valid choice."),
        ({"organisations": ["abc"]}, "organisations", "is not a valid value"),
        ({"held_on": "30/30/2010"}, "held_on", "Enter a valid date."),
        ({"minutes": "nul\x00byte"}, "minutes", "Null characters are not allowed."),
        ({"attendees": ["stranger"]}, "attendees", "Their organisations are not among"),
    ],
)
def test_meeting_form_with_bad_input_shows_the_field_error_and_saves_nothing(
    client_as, db, changes, field, message
):
    present = OrganisationFactory()
    stranger = ContactFactory()
    data = {"title": "Et møde", "held_on": "2010-11-09", "organisations": [present.pk]}
    data.update(changes)
    if data.get("attendees") == ["stranger"]:
        data["attendees"] = [stranger.pk]

    response = client_as("secretariat").post(reverse("stakeholders:meeting-create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert f'href="#id_{field}"' in _html(response)
    assert not Meeting.objects.exists()


def test_meeting_form_keeps_what_the_user_typed_after_an_error(client_as, db):
    response = client_as("secretariat").post(
        reverse("stakeholders:meeting-create"),
        {"title": "Møde med Forbrugerrådet", "agenda": "Fejltekster", "organisations": []},
    )

    html = _html(response)
    assert 'value="Møde med Forbrugerrådet"' in html
    assert "Fejltekster</textarea>" in html


def test_meeting_create_page_prefills_a_working_groups_members(client_as, world):
    group = WorkingGroup.objects.get(code="dh-arbejdsgruppe")

    response = client_as("secretariat").get(
        reverse("stakeholders:meeting-create") + f"?working_group={group.pk}"
    )

    initial = response.context["form"].initial
    assert initial["working_group"] == group
    assert set(initial["organisations"]) == set(group.members.all())


def test_recommendation_added_from_the_meeting_page_belongs_to_the_meeting(client_as, taxonomy):
    maker = OrganisationFactory(name="Ældre Sagen")
    meeting = MeetingFactory(organisations=[maker], held_on=D(2010, 11, 25))
    topic = Topic.objects.get(queue__code="support", code="aktivering")

    page = client_as("secretariat").get(meeting.get_absolute_url())
    response = client_as("secretariat").post(
        reverse("stakeholders:meeting-recommendation-create", args=[meeting.pk]),
        {"organisation": maker.pk, "text": "Enklere sprog", "topics": [topic.pk], "status": "new"},
    )

    assert 'action="{}"'.format(
        reverse("stakeholders:meeting-recommendation-create", args=[meeting.pk])
    ) in _html(page)
    assert response.status_code == 302
    assert response["Location"].endswith("#recommendations")
    rec = Recommendation.objects.get()
    assert (rec.meeting, rec.organisation, rec.received_on) == (meeting, maker, D(2010, 11, 25))
    assert rec.events.get().actor.username == "secretariat"


def test_recommendation_from_an_organisation_absent_from_the_meeting_is_refused(client_as, db):
    meeting = MeetingFactory()
    absent = OrganisationFactory()

    response = client_as("secretariat").post(
        reverse("stakeholders:meeting-recommendation-create", args=[meeting.pk]),
        {"organisation": absent.pk, "text": "Noget", "status": "new"},
    )

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_respond_page_refuses_declining_without_rationale(client_as, db):
    rec = RecommendationFactory()

    response = client_as("secretariat").post(
        reverse("stakeholders:recommendation-respond", args=[rec.pk]),
        {"status": "declined", "response": "Nej.", "rationale": "", "version": rec.version},
    )

    assert response.status_code == 200
    assert "rationale" in response.context["form"].errors
    assert 'value="Nej.' not in _html(response)  # a textarea, kept as content
    assert "Nej.</textarea>" in _html(response)
    rec.refresh_from_db()
    assert rec.status == "new"


def test_respond_page_saves_the_decision_and_the_history_shows_it(client_as, personas):
    rec = RecommendationFactory()
    client = client_as("secretariat")

    response = client.post(
        reverse("stakeholders:recommendation-respond", args=[rec.pk]),
        {
            "status": "in_progress",
            "response": "Vurderes.",
            "rationale": "Under overvejelse.",
            "version": rec.version,
        },
    )
    page = client.get(rec.get_absolute_url())

    assert response.status_code == 302
    html = _html(page)
    assert "New → In progress" in html
    assert "Under overvejelse." in html
    assert str(personas["secretariat"]) in html


def test_recommendation_page_shows_its_actions_and_whether_all_are_done(client_as, db, settings):
    rec = RecommendationFactory()
    theme = Theme.objects.create(code="kommunikation", name_da="Kommunikation")
    for title, status in [("Pjece", "done"), ("Vejledning", "in_progress")]:
        action = Action.objects.create(
            title=title, theme=theme, owner=rec.organisation, status=status
        )
        action.origin_recommendations.add(rec)

    html = _html(client_as("secretariat").get(rec.get_absolute_url()))

    assert "Pjece" in html
    assert "Vejledning" in html
    assert "1 of 2 actions open" in html
    assert f'href="{reverse("actions:create")}?recommendation={rec.pk}"' in html
    rec.actions.update(status="done")
    assert "All 2 actions finished" in _html(client_as("secretariat").get(rec.get_absolute_url()))


def test_meeting_page_links_to_creating_an_action_from_it(client_as, db, settings):
    meeting = MeetingFactory()

    html = _html(client_as("secretariat").get(meeting.get_absolute_url()))

    assert f'href="{reverse("actions:create")}?meeting={meeting.pk}"' in html


def test_manager_sees_no_create_action_link(client_as, db, settings):
    meeting = MeetingFactory()

    html = _html(client_as("manager").get(meeting.get_absolute_url()))

    assert reverse("actions:create") not in html


def test_recommendation_list_filters_by_organisation_status_meeting_and_topic(client_as, world):
    itst = Organisation.objects.get(code="aeldre-sagen")
    meeting = Meeting.objects.get(code="dansk-it-2010-11-19")
    topic = Topic.objects.get(queue__code="support", code="noeglekort")
    url = reverse("stakeholders:recommendation-list")
    client = client_as("manager")

    def codes(query: str) -> set[str]:
        response = client.get(url + query)
        assert response.status_code == 200
        return {rec.code for rec in response.context["object_list"]}

    assert codes(f"?organisation={itst.pk}") == {
        "aeldre-sagen-sprog",
        "aeldre-sagen-stoette",
        "aeldre-sagen-stort-noeglekort",
        "aeldre-sagen-nedbrud",
    }
    assert codes("?status=in_progress") == {
        "dansk-it-smartphone",
        "forbrugerraadet-fejltekster",
        "dh-tilgaengelighed",
    }
    assert codes(f"?meeting={meeting.pk}&status=accepted") == {"dansk-it-digitalt-noeglekort"}
    assert codes(f"?topic={topic.pk}") == {
        "aeldre-sagen-stort-noeglekort",
        "dansk-it-digitalt-noeglekort",
    }
    assert codes("?in_writing=true") == {"dh-tilgaengelighed"}


def test_recommendation_list_with_a_long_search_answers_without_error(client_as, world):
    query = "?q=" + "x" * 5000
    response = client_as("secretariat").get(reverse("stakeholders:recommendation-list") + query)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "query", "field"),
    [
        ("recommendation-list", "?status=maybe", "status"),
        ("recommendation-list", "?organisation=999999", "organisation"),
        ("recommendation-list", "?topic=abc", "topic"),
        ("recommendation-list", "?meeting=-1", "meeting"),
        ("recommendation-list", "?in_writing=banana", "in_writing"),
        ("recommendation-list", "?has_open_actions=maybe", "has_open_actions"),
        ("organisation-list", "?is_taskforce_member=banana", "is_taskforce_member"),
        ("contact-list", "?is_active=2", "is_active"),
        ("followup-list", "?overdue=banana", "overdue"),
        ("followup-list", "?is_open=unknown", "is_open"),
        ("followup-list", "?meeting=1.5", "meeting"),
    ],
)
def test_a_list_with_a_bad_filter_shows_the_error_on_the_field_and_no_rows(
    client_as, world, name, query, field
):
    response = client_as("secretariat").get(reverse(f"stakeholders:{name}") + query)

    assert response.status_code == 200
    assert field in response.context["filterset"].errors
    assert list(response.context["object_list"]) == []


def test_a_nul_byte_in_a_filter_is_a_clear_400(client_as, db):
    response = client_as("secretariat").get(reverse("stakeholders:meeting-list") + "?q=a%00b")

    assert response.status_code == 400
    assert "NUL" in _html(response)


def test_recommendation_list_puts_undecided_first(client_as, world):
    undecided = RecommendationFactory(organisation=Organisation.objects.get(code="kl"))

    response = client_as("secretariat").get(reverse("stakeholders:recommendation-list"))

    assert response.context["object_list"][0] == undecided
    assert "1 undecided" in _html(response)


def test_overview_shows_open_follow_ups_and_undecided_recommendations(client_as, world):
    RecommendationFactory(text="Skal besluttes")

    response = client_as("secretariat").get(reverse("stakeholders:overview"))

    html = _html(response)
    assert len(response.context["open_follow_ups"]) == 3
    assert "Ældremobiliseringens feedback på ITST’s spørgsmål om NemID" in html
    assert "Skal besluttes" in html
    assert "3 open" in html


def test_follow_up_list_shows_open_first_with_days_waiting(client_as, db):
    FollowUpFactory(subject="Besvaret", since_on=D(2010, 10, 1), resolved_on=D(2010, 10, 11))
    FollowUpFactory(subject="Venter", since_on=D(2010, 11, 9))

    response = client_as("manager").get(reverse("stakeholders:followup-list"))

    subjects = [f.subject for f in response.context["object_list"]]
    assert subjects == ["Venter", "Besvaret"]
    assert '<td class="num">10</td>' in _html(response)


def test_follow_up_page_flow_open_resolve_and_reopen(client_as, db):
    itst, aeldre = OrganisationFactory(), OrganisationFactory()
    client = client_as("secretariat")

    created = client.post(
        reverse("stakeholders:followup-create"),
        {
            "subject": "Feedback på spørgsmål",
            "waiting_organisation": itst.pk,
            "awaited_organisation": aeldre.pk,
            "since_on": "2010-11-09",
        },
    )
    follow_up = FollowUp.objects.get()
    resolved = client.post(
        reverse("stakeholders:followup-resolve", args=[follow_up.pk]),
        {"resolved_on": "2010-12-01", "note": "Modtaget"},
    )
    again = client.post(
        reverse("stakeholders:followup-resolve", args=[follow_up.pk]),
        {"resolved_on": "2010-12-02"},
    )
    follow_up.refresh_from_db()

    assert created.status_code == 302
    assert follow_up.created_by.username == "secretariat"
    assert resolved.status_code == 302
    assert follow_up.resolved_on == D(2010, 12, 1)
    assert again.status_code == 200
    assert "already resolved" in " ".join(again.context["form"].errors["resolved_on"])

    client.post(reverse("stakeholders:followup-reopen", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.is_open


def test_follow_up_waiting_on_itself_is_refused_on_the_field(client_as, db):
    itst = OrganisationFactory()

    response = client_as("secretariat").post(
        reverse("stakeholders:followup-create"),
        {
            "subject": "Svar",
            "waiting_organisation": itst.pk,
            "awaited_organisation": itst.pk,
            "since_on": "2010-11-09",
        },
    )

    assert "awaited_organisation" in response.context["form"].errors
    assert not FollowUp.objects.exists()


def test_organisation_page_shows_what_is_awaited_from_it_and_its_contacts(client_as, world):
    aeldre = Organisation.objects.get(code="aeldremobiliseringen")
    itst = Organisation.objects.get(code="itst")

    awaited = _html(client_as("manager").get(aeldre.get_absolute_url()))
    waiting = _html(client_as("manager").get(itst.get_absolute_url()))

    assert "Ældremobiliseringens feedback" in awaited
    assert "Center for Digital Signatur" in waiting
    assert "DH’s deltagelse" in waiting


def test_new_organisation_gets_a_code_from_its_danish_name(client_as, world):
    response = client_as("secretariat").post(
        reverse("stakeholders:organisation-create"),
        {"name": "Ældre Sagen Nu", "kind": "media"},
    )

    assert response.status_code == 302
    assert Organisation.objects.get(name="Ældre Sagen Nu").code == "aeldre-sagen-nu"


def test_new_organisation_with_a_taken_name_is_refused_on_the_field(client_as, world):
    response = client_as("secretariat").post(
        reverse("stakeholders:organisation-create"), {"name": "DanID", "kind": "operator"}
    )

    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_unknown_ids_in_urls_are_404(client_as, db):
    client = client_as("secretariat")

    for name in (
        "organisation-detail",
        "meeting-detail",
        "recommendation-detail",
        "followup-detail",
        "attachment-download",
        "meeting-update",
    ):
        assert client.get(reverse(f"stakeholders:{name}", args=[999999])).status_code == 404


def test_recommendation_list_filters_on_open_actions(client_as, world):
    rec = Recommendation.objects.get(code="dh-tilgaengelighed")
    theme = Theme.objects.create(code="tilgaengelighed", name_da="Tilgængelighed")
    action = Action.objects.create(title="Arbejdsgruppe", theme=theme, owner=rec.organisation)
    action.origin_recommendations.add(rec)
    url = reverse("stakeholders:recommendation-list")

    with_open = client_as("manager").get(url, {"has_open_actions": "true"})
    api = client_as("manager").get(reverse("api:recommendation-list"), {"has_open_actions": "true"})

    assert [r.code for r in with_open.context["object_list"]] == ["dh-tilgaengelighed"]
    assert [r["code"] for r in api.json()["results"]] == ["dh-tilgaengelighed"]


def test_working_group_and_contact_pages_create_rows(client_as, world):
    client = client_as("secretariat")
    dh = Organisation.objects.get(code="dh")

    group = client.post(
        reverse("stakeholders:workinggroup-create"),
        {"name": "Følgegruppe for ældre", "purpose": "Pjece", "members": [dh.pk]},
    )
    contact = client.post(
        reverse("stakeholders:contact-create"),
        {"organisation": dh.pk, "name": "Kontaktperson i DH", "is_active": "on"},
    )

    assert group.status_code == 302
    assert contact.status_code == 302
    assert contact["Location"] == dh.get_absolute_url() + "#contacts"
    assert WorkingGroup.objects.get(name="Følgegruppe for ældre").code == "foelgegruppe-for-aeldre"


def test_follow_up_edit_page_refuses_a_contact_from_another_organisation(client_as, world):
    follow_up = FollowUp.objects.get(code="dh-indbydelse")
    stranger = ContactFactory()

    response = client_as("secretariat").post(
        reverse("stakeholders:followup-update", args=[follow_up.pk]),
        {
            "subject": follow_up.subject,
            "waiting_organisation": follow_up.waiting_organisation_id,
            "awaited_organisation": follow_up.awaited_organisation_id,
            "awaited_contact": stranger.pk,
            "since_on": "2010-11-30",
            "version": follow_up.version,
        },
    )

    assert response.status_code == 200
    assert "awaited_contact" in response.context["form"].errors
    follow_up.refresh_from_db()
    assert follow_up.awaited_contact is None


def test_the_person_waiting_is_picked_from_all_staff_by_type_ahead(client_as, personas, org):
    client = client_as("secretariat")
    itst, danid = org("itst"), org("danid")

    form = client.get(reverse("stakeholders:followup-create")).content.decode()
    response = client.post(
        reverse("stakeholders:followup-create"),
        {
            "subject": "Svar på brev",
            "waiting_organisation": itst.pk,
            "waiting_user": "manager",
            "awaited_organisation": danid.pk,
            "since_on": "2010-11-09",
        },
    )

    assert '<select name="waiting_user"' not in form
    assert "&quot;scope&quot;: &quot;staff&quot;" in form
    assert response.status_code == 302
    assert FollowUp.objects.get(subject="Svar på brev").waiting_user == personas["manager"]
