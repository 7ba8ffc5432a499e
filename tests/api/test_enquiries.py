"""The enquiry endpoints: list, filters, paging, create, change, workflow, timeline."""

import datetime

import pytest
from django.utils import timezone

from enquiries import services
from enquiries.models import Category, Enquiry, EnquiryEvent, Topic
from tests.etags import patch_json
from tests.factories import CitizenFactory, EnquiryFactory, TeamFactory, UserFactory
from tests.plaintext import without_timestamps

Status = Enquiry.Status
Kind = EnquiryEvent.Kind
LIST = "/api/v1/enquiries/"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return patch_json(client, url, body)


def test_list_shows_labels_a_client_can_display(client_as, enquiry, category):
    response = client_as("agent", language="da").get(LIST)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["reference"] == enquiry.reference
    assert row["status"] == "new"
    assert row["status_display"] == "Ny"
    assert row["channel_display"] == "Telefon"
    assert row["category"] == category.pk
    assert row["category_name"] == category.name_da
    assert row["topic_name"] == category.topic.name_da
    assert row["queue"] == "support"
    assert row["allowed_transitions"] == ["triaged", "in_progress", "resolved"]


def test_list_labels_follow_the_requested_language(client_as, enquiry, category):
    response = client_as("agent", language="en").get(LIST)

    row = response.json()["results"][0]
    assert row["status_display"] == "New"
    assert row["category_name"] == category.name_en


@pytest.mark.parametrize("persona", ["agent", "team_lead", "admin"])
def test_citizen_is_shown_masked_to_roles_that_may_see_citizens(client_as, enquiry, persona):
    response = client_as(persona).get(f"{LIST}{enquiry.pk}/")

    citizen = response.json()["citizen"]
    assert citizen["name"] == "Karen Jensen"
    assert citizen["cpr_masked"] == "010180-xxxx"
    assert b"1234" not in without_timestamps(response.content)


@pytest.mark.parametrize("persona", ["secretariat", "manager"])
def test_citizen_is_left_out_for_roles_that_may_not_see_citizens(client_as, enquiry, persona):
    client = client_as(persona)

    detail = client.get(f"{LIST}{enquiry.pk}/").json()
    listed = client.get(LIST).json()["results"][0]

    assert "citizen" not in detail
    assert "citizen" not in listed
    assert b"Karen" not in client.get(f"{LIST}{enquiry.pk}/").content


def test_timeline_hides_citizen_names_from_roles_that_may_not_see_citizens(
    client_as, enquiry, personas
):
    other = CitizenFactory(name="Bent Nielsen")
    services.update_enquiry(enquiry, by=personas["agent"], changes={"citizen": other})

    for persona, visible in (("agent", True), ("manager", False)):
        response = client_as(persona).get(f"{LIST}{enquiry.pk}/events/")
        (change,) = [e for e in response.json() if e["kind"] == Kind.CITIZEN]
        assert (change["new_display"] == "Bent Nielsen") is visible
        assert (b"Karen Jensen" in response.content) is visible


def test_agent_lists_only_enquiries_of_own_team(client_as, enquiry, taxonomy, personas):
    services.register_enquiry(taxonomy["ministry"], by=personas["admin"], subject="Brev")

    agent_refs = [r["reference"] for r in client_as("agent").get(LIST).json()["results"]]
    manager_refs = [r["reference"] for r in client_as("manager").get(LIST).json()["results"]]

    assert agent_refs == [enquiry.reference]
    assert len(manager_refs) == 2


@pytest.mark.parametrize(
    "key",
    ["{reference}", "{reference_lower}", "{pk}"],
    ids=["reference", "lower-case reference", "id"],
)
def test_enquiry_is_found_by_id_or_reference(client_as, enquiry, key):
    key = key.format(
        reference=enquiry.reference, reference_lower=enquiry.reference.lower(), pk=enquiry.pk
    )

    response = client_as("agent").get(f"{LIST}{key}/")

    assert response.status_code == 200
    assert response.json()["id"] == enquiry.pk


@pytest.mark.parametrize(
    "key",
    ["NID-2010-999999", "999999", "NID-2010", "abc", "1.5", "99999999999999999999999", "%00"],
)
def test_unknown_or_malformed_enquiry_key_is_a_json_404(client_as, enquiry, key):
    response = client_as("agent").get(f"{LIST}{key}/")

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.fixture
def spread(support, personas):
    """Enquiries that differ in one attribute each, for the filters."""
    agent = personas["agent"]
    topic = Topic.objects.get(queue=support, code="noeglekort")
    letter_cat = Category.objects.filter(topic=topic).first()
    now = timezone.now()
    made = {
        "plain": EnquiryFactory(category=Category.objects.get(code="ikke-modtaget")),
        "letter": EnquiryFactory(category=letter_cat, channel="letter", priority=4),
        "assigned": EnquiryFactory(
            category=Category.objects.get(code="udloebet"), assignee=agent, priority=3
        ),
        "old": EnquiryFactory(
            category=Category.objects.get(code="ikke-modtaget"),
            received_at=now - datetime.timedelta(days=40),
            subject="Nøglekort bortkommet i posten",
        ),
        "overdue": EnquiryFactory(category=Category.objects.get(code="udloebet"), overdue=True),
        "resolved": EnquiryFactory(
            category=Category.objects.get(code="udloebet"), status=Status.RESOLVED
        ),
        "citizen": EnquiryFactory(
            category=Category.objects.get(code="udloebet"), citizen=CitizenFactory()
        ),
    }
    # Raises the letter's topic as a further topic: counted per mention.
    made["plain"].additional_topics.add(topic)
    # Escalated to level 2, and to level 1 before it was resolved.
    for name, level in [("overdue", 1), ("overdue", 2), ("resolved", 1)]:
        EnquiryEvent.objects.create(
            enquiry=made[name],
            kind=EnquiryEvent.Kind.ESCALATED,
            old_value=str(level - 1),
            new_value=str(level),
        )
    return made


def _filter_cases():
    ago = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    return [
        ("status=resolved", lambda s: {"resolved"}),
        ("status=resolved&status=new", lambda s: set(s)),
        ("channel=letter", lambda s: {"letter"}),
        ("priority=4&priority=3", lambda s: {"letter", "assigned"}),
        ("assignee={agent}", lambda s: {"assigned"}),
        ("topic={noeglekort}", lambda s: {"letter"}),
        ("mentions={noeglekort}", lambda s: {"letter", "plain"}),
        ("category={udloebet}", lambda s: {"assigned", "overdue", "resolved", "citizen"}),
        ("queue=support", lambda s: set(s)),
        (f"received_before={ago}", lambda s: {"old"}),
        (f"received_after={ago}", lambda s: set(s) - {"old"}),
        ("overdue=true", lambda s: {"overdue"}),
        ("overdue=false", lambda s: set(s) - {"overdue"}),
        ("is_open=false", lambda s: {"resolved"}),
        ("escalated=1", lambda s: {"overdue", "resolved"}),
        ("escalated=2", lambda s: {"overdue"}),
        ("escalated=1&is_open=true", lambda s: {"overdue"}),
        ("q=bortkommet", lambda s: {"old"}),
        ("q={old_reference}", lambda s: {"old"}),
        ("citizen={citizen}", lambda s: {"citizen"}),
        ("status=new&priority=3&assignee={agent}", lambda s: {"assigned"}),
    ]


@pytest.mark.parametrize(("query", "expected"), _filter_cases(), ids=lambda v: str(v)[:40])
def test_list_filters_are_those_of_the_ui(client_as, spread, personas, support, query, expected):
    query = query.format(
        agent=personas["agent"].pk,
        noeglekort=Topic.objects.get(queue=support, code="noeglekort").pk,
        udloebet=Category.objects.get(code="udloebet").pk,
        old_reference=spread["old"].reference,
        citizen=spread["citizen"].citizen_id,
    )

    response = client_as("agent").get(f"{LIST}?{query}")

    assert response.status_code == 200, response.json()
    got = {r["reference"] for r in response.json()["results"]}
    assert got == {spread[name].reference for name in expected(spread)}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("priority=9", "priority"),
        ("channel=fax", "channel"),
        ("received_after=yesterday", "received_after"),
        ("queue=nowhere", "queue"),
        ("topic=abc", "topic"),
        ("assignee=999999", "assignee"),
        ("overdue=maybe", "overdue"),
        ("is_open=2", "is_open"),
        ("escalated=3", "escalated"),
        ("citizen=abc", "citizen"),
        ("citizen=999999", "citizen"),
    ],
)
def test_invalid_filter_value_is_a_400_naming_the_filter(client_as, enquiry, query, field):
    response = client_as("agent").get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("persona", ["agent", "team_lead", "admin"])
def test_roles_that_see_citizens_list_a_citizens_enquiries(client_as, spread, persona):
    response = client_as(persona).get(f"{LIST}?citizen={spread['citizen'].citizen_id}")

    assert response.status_code == 200
    assert [r["reference"] for r in response.json()["results"]] == [spread["citizen"].reference]


@pytest.mark.parametrize("persona", ["secretariat", "manager"])
@pytest.mark.parametrize("value", ["citizen", "999999", "abc"])
def test_citizen_filter_from_a_role_that_may_not_see_citizens_is_a_400(
    client_as, spread, persona, value
):
    key = spread["citizen"].citizen_id if value == "citizen" else value

    response = client_as(persona).get(f"{LIST}?citizen={key}&status=new")

    # Never the whole list passed off as the citizen's enquiries.
    assert response.status_code == 400
    assert response.json() == {
        "citizen": ["Your role may not see citizens, so enquiries cannot be filtered by citizen."]
    }


@pytest.mark.parametrize("persona", ["secretariat", "manager"])
def test_an_empty_citizen_filter_is_no_filter_for_any_role(client_as, spread, persona):
    response = client_as(persona).get(f"{LIST}?citizen=")

    assert response.status_code == 200
    assert len(response.json()["results"]) == len(spread)


def test_refused_citizen_filter_is_translated(client_as, spread):
    response = client_as("manager", language="da").get(
        f"{LIST}?citizen={spread['citizen'].citizen_id}"
    )

    assert response.status_code == 400
    assert response.json()["citizen"] == [
        "Din rolle må ikke se borgere, så henvendelser kan ikke filtreres efter borger."
    ]


def test_filter_by_topic_of_another_queue_is_refused(client_as, enquiry, taxonomy):
    other = Topic.objects.filter(queue=taxonomy["ministry"]).first()

    response = client_as("agent").get(f"{LIST}?topic={other.pk}")

    assert response.status_code == 400
    assert "topic" in response.json()


def test_cursor_pagination_walks_every_enquiry_once_newest_first(client_as, category):
    now = timezone.now()
    made = [
        EnquiryFactory(category=category, received_at=now - datetime.timedelta(minutes=i))
        for i in range(7)
    ]
    # Two with the same time: the id breaks the tie, so none is skipped.
    made.append(EnquiryFactory(category=category, received_at=made[3].received_at))
    client = client_as("agent")

    seen, url, pages = [], f"{LIST}?page_size=3", 0
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 3
        seen += [row["reference"] for row in page["results"]]
        url, pages = page["next"], pages + 1

    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    expected = sorted(made, key=lambda e: (e.received_at, e.pk), reverse=True)
    assert seen == [e.reference for e in expected]


def test_cursor_keeps_the_filters(client_as, category):
    for _ in range(3):
        EnquiryFactory(category=category, channel="letter")
    EnquiryFactory(category=category, channel="phone")
    client = client_as("agent")

    first = client.get(f"{LIST}?channel=letter&page_size=2").json()
    second = client.get(first["next"]).json()

    assert {r["channel"] for r in first["results"] + second["results"]} == {"letter"}
    assert len(second["results"]) == 1 and second["next"] is None


def test_page_size_is_capped(client_as, category):
    EnquiryFactory.create_batch(3, category=category)

    response = client_as("agent").get(f"{LIST}?page_size=100000")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_invalid_cursor_is_a_404(client_as, enquiry):
    response = client_as("agent").get(f"{LIST}?cursor=not-a-cursor")

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 25])
def test_enquiry_list_takes_the_same_queries_for_1_and_25_rows(
    client_as, django_assert_num_queries, category, personas, rows
):
    extra = Topic.objects.get(code="noeglekort", queue=category.topic.queue)
    for _ in range(rows):
        enquiry = EnquiryFactory(
            category=category, citizen=CitizenFactory(), assignee=personas["agent"]
        )
        enquiry.additional_topics.add(extra)
    client = client_as("agent")

    # session, user, groups (role), user and group permissions, the page
    # (ids and cursor positions), its rows with their relations, the
    # further topics.
    with django_assert_num_queries(8):
        response = client.get(LIST)

    assert len(response.json()["results"]) == rows


def test_create_uses_codes_and_ids_and_answers_with_the_enquiry(
    token_client, support, category, citizen, personas, integration_user
):
    extra = Topic.objects.get(queue=support, code="noeglekort")
    # The caller is new to the team: found by the exact CPR number first
    # (logged), which lets the telephony account name them.
    assert post(token_client, "/api/v1/citizens/lookup/", {"cpr": "0101801234"}).status_code == 200

    response = post(
        token_client,
        LIST,
        {
            "queue": "support",
            "subject": "Kan ikke logge på netbank",
            "description": "Borgeren har tastet forkert tre gange.",
            "category": category.pk,
            "additional_topics": [extra.pk],
            "citizen": citizen.pk,
            "assignee": "agent",
            "priority": 3,
            "language": "en",
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    enquiry = Enquiry.objects.get(pk=body["id"])
    assert body["reference"] == enquiry.reference
    assert enquiry.reference.startswith("NID-")
    assert response["Location"] == f"/api/v1/enquiries/{enquiry.reference}/"
    assert enquiry.channel == "phone"  # the queue's default
    assert enquiry.assignee == personas["agent"]
    assert enquiry.created_by == integration_user
    assert list(enquiry.additional_topics.all()) == [extra]
    assert body["additional_topics"] == [{"id": extra.pk, "code": extra.code, "name": extra.name}]
    assert body["assignee"]["username"] == "agent"
    assert body["citizen"]["id"] == citizen.pk
    assert list(enquiry.events.values_list("kind", flat=True)) == [Kind.CREATED, Kind.ASSIGNED]


def test_create_with_only_queue_and_subject_takes_the_defaults(client_as, support):
    response = post(client_as("agent"), LIST, {"queue": "support", "subject": "Spørgsmål"})

    assert response.status_code == 201
    body = response.json()
    assert (body["channel"], body["priority"], body["language"]) == ("phone", 2, "da")
    assert body["category"] is None and body["category_name"] is None


def test_patch_changes_only_the_fields_sent_and_writes_the_timeline(
    client_as, enquiry, support, personas
):
    other = Category.objects.get(topic__queue=support, code="udloebet")

    response = patch(
        client_as("team_lead"),
        f"{LIST}{enquiry.reference}/",
        {"category": other.pk, "assignee": "agent", "priority": 4},
    )

    assert response.status_code == 200, response.json()
    enquiry.refresh_from_db()
    assert (enquiry.category, enquiry.assignee, enquiry.priority) == (other, personas["agent"], 4)
    assert enquiry.subject == "Har ikke fået den midlertidige adgangskode"
    kinds = set(enquiry.events.exclude(kind=Kind.CREATED).values_list("kind", "actor"))
    lead = personas["team_lead"].pk
    assert kinds == {(Kind.CATEGORY, lead), (Kind.ASSIGNED, lead), (Kind.PRIORITY, lead)}
    assert response.json()["category_name"] == other.name


def test_patch_can_unassign_and_clear_the_citizen(client_as, enquiry, personas):
    services.update_enquiry(enquiry, by=personas["agent"], changes={"assignee": personas["agent"]})

    response = patch(
        client_as("agent"), f"{LIST}{enquiry.pk}/", {"assignee": None, "citizen": None}
    )

    assert response.status_code == 200
    enquiry.refresh_from_db()
    assert enquiry.assignee is None and enquiry.citizen is None


@pytest.mark.parametrize("field", ["status", "resolution"])
def test_patch_refuses_status_and_resolution_and_points_to_transition(client_as, enquiry, field):
    response = patch(client_as("agent"), f"{LIST}{enquiry.pk}/", {field: "resolved"})

    assert response.status_code == 400
    assert "transition" in response.json()[field][0]
    enquiry.refresh_from_db()
    assert enquiry.status == Status.NEW


def test_patch_to_hand_the_enquiry_to_another_team_still_answers(
    client_as, taxonomy, personas, support_team
):
    # The agent was given a letter while on the letter desk's team and then
    # moved to support: they see it only as its holder. Handing it to a
    # colleague must still return the result, which they then cannot see.
    agent = personas["agent"]
    letter_desk = TeamFactory(name="Brevkontoret")
    taxonomy["ministry"].team = letter_desk
    taxonomy["ministry"].save()
    agent.team = letter_desk
    agent.save()
    letter = services.register_enquiry(
        taxonomy["ministry"], by=personas["admin"], subject="Brev", assignee=agent
    )
    agent.team = support_team
    agent.save()
    colleague = UserFactory(role="support_agent", team=letter_desk)

    response = patch(client_as("agent"), f"{LIST}{letter.pk}/", {"assignee": colleague.username})

    assert response.status_code == 200, response.json()
    assert response.json()["assignee"]["username"] == colleague.username
    assert client_as("agent").get(f"{LIST}{letter.pk}/").status_code == 404


def test_transitions_follow_the_workflow_and_resolve_with_a_resolution(client_as, enquiry):
    client = client_as("agent")
    url = f"{LIST}{enquiry.reference}/transition/"

    for step in ("triaged", "in_progress", "waiting", "in_progress"):
        response = post(client, url, {"status": step, "note": f"Til {step}"})
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == step
    response = post(client, url, {"status": "resolved", "resolution": "Ny kode bestilt"})

    assert response.status_code == 200
    body = response.json()
    assert body["status_display"] == "Resolved"
    assert body["resolution"] == "Ny kode bestilt"
    assert body["resolved_at"] is not None
    assert body["allowed_transitions"] == ["closed", "in_progress"]


def test_illegal_transition_is_a_400_on_status_with_the_allowed_ones(client_as, enquiry):
    response = post(client_as("agent"), f"{LIST}{enquiry.pk}/transition/", {"status": "closed"})

    assert response.status_code == 400
    message = response.json()["status"][0]
    assert "cannot become" in message and "Triaged" in message
    enquiry.refresh_from_db()
    assert enquiry.status == Status.NEW
    assert not enquiry.events.filter(kind=Kind.STATUS).exists()


def test_resolving_without_a_resolution_is_refused(client_as, enquiry):
    response = post(client_as("agent"), f"{LIST}{enquiry.pk}/transition/", {"status": "resolved"})

    assert response.status_code == 400
    assert "resolution" in response.json()


def test_reopen_brings_a_closed_enquiry_back_to_work(client_as, enquiry, personas):
    agent = personas["agent"]
    services.transition_enquiry(enquiry, to=Status.RESOLVED, by=agent, resolution="Hjulpet")
    services.transition_enquiry(enquiry, to=Status.CLOSED, by=agent)

    response = post(client_as("agent"), f"{LIST}{enquiry.pk}/reopen/", {"note": "Ringede igen"})

    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    last = enquiry.events.filter(kind=Kind.STATUS).last()
    assert "Ringede igen" in last.text


def test_reopen_of_an_open_enquiry_is_refused(client_as, enquiry):
    response = post(client_as("agent"), f"{LIST}{enquiry.pk}/reopen/", {})

    assert response.status_code == 400
    assert "status" in response.json()


def test_note_is_added_to_the_timeline(client_as, enquiry, personas):
    response = post(client_as("agent"), f"{LIST}{enquiry.pk}/notes/", {"text": "  Ringet op  "})

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["text"]) == ("note", "Ringet op")
    assert body["actor"]["username"] == "agent"
    assert enquiry.events.filter(kind=Kind.NOTE, actor=personas["agent"]).count() == 1


def test_timeline_lists_every_change_oldest_first_with_who(client_as, enquiry, personas):
    agent = personas["agent"]
    services.transition_enquiry(enquiry, to=Status.TRIAGED, by=agent)
    services.add_note(enquiry, by=agent, text="Venter på brev")

    response = client_as("manager").get(f"{LIST}{enquiry.pk}/events/")

    assert response.status_code == 200
    rows = response.json()
    assert [r["kind"] for r in rows] == ["created", "status", "note"]
    assert rows[1]["old_display"] == "New" and rows[1]["new_display"] == "Triaged"
    assert {r["actor"]["username"] for r in rows} == {"agent"}
