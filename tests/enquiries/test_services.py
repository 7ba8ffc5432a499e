import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enquiries import services
from enquiries.models import Category, CprReveal, Enquiry, EnquiryEvent, Topic
from tests.factories import CategoryFactory, CitizenFactory, EnquiryFactory

Status = Enquiry.Status
Kind = EnquiryEvent.Kind


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


def register(queue, by, **kwargs):
    kwargs.setdefault("subject", "Har ikke fået koden")
    return services.register_enquiry(queue, by=by, **kwargs)


def test_register_enquiry_gives_reference_team_and_timeline(support, category, personas):
    agent = personas["agent"]

    enquiry = register(support, agent, category=category)

    assert enquiry.reference.startswith(f"NID-{enquiry.received_at.year}-")
    assert enquiry.team == support.team
    assert enquiry.topic == category.topic
    assert enquiry.status == Status.NEW
    # A phone call is answered the moment it is taken.
    assert enquiry.first_responded_at == enquiry.received_at
    assert list(enquiry.events.values_list("kind", "actor")) == [(Kind.CREATED, agent.pk)]


def test_references_are_unique_and_increasing(support, personas):
    first = register(support, personas["agent"])
    second = register(support, personas["agent"])

    assert int(second.reference.rsplit("-", 1)[1]) > int(first.reference.rsplit("-", 1)[1])


def test_register_enquiry_refuses_category_of_another_queue(taxonomy, support, personas):
    letters_category = Category.objects.filter(topic__queue=taxonomy["ministry"]).first()

    with pytest.raises(ValidationError) as info:
        register(support, personas["agent"], category=letters_category)

    assert "category" in info.value.message_dict
    assert not Enquiry.objects.exists()


def test_register_enquiry_refuses_retired_category(support, category, personas):
    category.is_active = False
    category.save()

    with pytest.raises(ValidationError) as info:
        register(support, personas["agent"], category=category)

    assert "retired" in info.value.message_dict["category"][0]


def test_primary_topic_is_not_repeated_among_further_topics(support, category, personas):
    other = Topic.objects.get(queue=support, code="noeglekort")

    enquiry = register(
        support, personas["agent"], category=category, additional_topics=[category.topic, other]
    )

    assert list(enquiry.additional_topics.all()) == [other]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], Status.CLOSED),
        ([], Status.WAITING),
        ([Status.IN_PROGRESS], Status.TRIAGED),
        ([Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED], Status.RESOLVED),
    ],
)
def test_illegal_transition_is_refused_with_a_clear_message(
    support, category, personas, path, target
):
    enquiry = register(support, personas["agent"], category=category)
    for step in path:
        services.transition_enquiry(enquiry, to=step, by=personas["agent"], resolution="Hjulpet")

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(enquiry, to=target, by=personas["agent"])

    assert "cannot become" in info.value.message_dict["status"][0]
    enquiry.refresh_from_db()
    assert enquiry.status == (path[-1] if path else Status.NEW)


def test_full_workflow_with_reopen_writes_the_timeline(support, category, personas):
    agent = personas["agent"]
    enquiry = register(support, agent, category=category, channel="letter")
    assert enquiry.first_responded_at is None

    for step in (Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING, Status.IN_PROGRESS):
        services.transition_enquiry(enquiry, to=step, by=agent)
    assert enquiry.first_responded_at is not None
    services.transition_enquiry(enquiry, to=Status.RESOLVED, by=agent, resolution="Ny kode sendt")
    assert enquiry.resolved_at is not None
    services.transition_enquiry(enquiry, to=Status.CLOSED, by=agent)
    services.reopen_enquiry(enquiry, by=agent, note="Borgeren ringede igen")

    enquiry.refresh_from_db()
    assert enquiry.status == Status.IN_PROGRESS
    assert enquiry.resolved_at is None and enquiry.closed_at is None
    transitions = list(
        enquiry.events.filter(kind=Kind.STATUS).values_list("old_value", "new_value")
    )
    assert transitions == [
        ("new", "triaged"),
        ("triaged", "in_progress"),
        ("in_progress", "waiting"),
        ("waiting", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "closed"),
        ("closed", "in_progress"),
    ]
    assert enquiry.events.last().text.startswith("Reopened.")


def test_waiting_pauses_the_deadline_clock(support, category, personas):
    enquiry = register(support, personas["agent"], category=category)
    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=personas["agent"])

    services.transition_enquiry(enquiry, to=Status.WAITING, by=personas["agent"])
    assert enquiry.sla_paused_at is not None
    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=personas["agent"])
    assert enquiry.sla_paused_at is None


def test_triage_needs_a_category_and_resolve_needs_a_resolution(support, personas):
    enquiry = register(support, personas["agent"])

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(enquiry, to=Status.TRIAGED, by=personas["agent"])
    assert "category" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(enquiry, to=Status.RESOLVED, by=personas["agent"])
    assert "resolution" in info.value.message_dict


def test_update_enquiry_records_each_tracked_change(support, category, personas):
    agent, lead = personas["agent"], personas["team_lead"]
    enquiry = register(support, agent, category=category)
    other_category = Category.objects.get(topic__queue=support, code="mistet")

    changed = services.update_enquiry(
        enquiry,
        by=lead,
        changes={"assignee": agent, "category": other_category, "priority": 4, "subject": "Ny"},
    )

    assert set(changed) == {"assignee", "category", "priority", "subject"}
    enquiry.refresh_from_db()
    assert enquiry.topic == other_category.topic
    events = {e.kind: e for e in enquiry.events.exclude(kind=Kind.CREATED)}
    assert set(events) == {Kind.ASSIGNED, Kind.CATEGORY, Kind.PRIORITY}
    assert events[Kind.ASSIGNED].actor == lead
    assert events[Kind.CATEGORY].new_label.endswith("Mistet nøglekort")
    assert events[Kind.PRIORITY].new_display == "Urgent"


def test_update_enquiry_keeps_a_retired_category_it_already_has(support, category, personas):
    enquiry = register(support, personas["agent"], category=category)
    category.is_active = False
    category.save()

    services.update_enquiry(enquiry, by=personas["agent"], changes={"priority": 3})

    enquiry.refresh_from_db()
    assert enquiry.category == category and enquiry.priority == 3


def test_update_enquiry_refuses_status_and_unknown_fields(support, personas):
    enquiry = register(support, personas["agent"])

    with pytest.raises(ValidationError) as info:
        services.update_enquiry(enquiry, by=personas["agent"], changes={"status": "closed"})

    assert "status" in info.value.message_dict


def test_moving_queue_drops_a_category_of_the_old_queue(taxonomy, support, category, personas):
    enquiry = register(support, personas["agent"], category=category)

    services.update_enquiry(enquiry, by=personas["agent"], changes={"queue": taxonomy["ministry"]})

    enquiry.refresh_from_db()
    assert enquiry.queue == taxonomy["ministry"]
    assert enquiry.category is None and enquiry.topic is None


def test_bulk_triage_changes_all_with_one_batch(support, category, personas):
    lead, agent = personas["team_lead"], personas["agent"]
    enquiries = [register(support, agent) for _ in range(3)]

    batch = services.bulk_triage(
        enquiries, by=lead, changes={"category": category, "assignee": agent}, status="triaged"
    )

    assert set(Enquiry.objects.values_list("status", flat=True)) == {"triaged"}
    batch_events = EnquiryEvent.objects.filter(batch=batch)
    assert batch_events.count() == 9
    assert set(batch_events.values_list("actor", flat=True)) == {lead.pk}


def test_bulk_triage_drops_only_the_categories_the_move_leaves_behind(
    taxonomy, support, category, personas
):
    ministry, admin = taxonomy["ministry"], personas["admin"]
    theirs = Category.objects.filter(topic__queue=ministry).first()
    moved = register(support, personas["agent"], category=category)
    already = register(ministry, admin, category=theirs)
    changes = {"queue": ministry}

    services.bulk_triage([moved, already], by=admin, changes=changes)

    moved.refresh_from_db()
    already.refresh_from_db()
    assert moved.queue == already.queue == ministry
    assert moved.category is None
    # The first enquiry's dropped category is not applied to the next.
    assert already.category == theirs
    assert changes == {"queue": ministry}


def test_bulk_triage_is_all_or_nothing(support, category, personas):
    lead, agent = personas["team_lead"], personas["agent"]
    fine = register(support, agent)
    closed = register(support, agent, category=category)
    services.transition_enquiry(closed, to="resolved", by=agent, resolution="ok")

    with pytest.raises(ValidationError) as info:
        services.bulk_triage(
            [fine, closed], by=lead, changes={"category": category}, status="triaged"
        )

    assert closed.reference in info.value.message_dict["selected"][0]
    fine.refresh_from_db()
    assert fine.status == "new" and fine.category is None


def test_bulk_triage_needs_the_permission(support, personas):
    with pytest.raises(PermissionDenied):
        services.bulk_triage(
            [register(support, personas["agent"])], by=personas["agent"], changes={}
        )


def test_add_note_refuses_blank(support, personas):
    enquiry = register(support, personas["agent"])

    with pytest.raises(ValidationError):
        services.add_note(enquiry, by=personas["agent"], text="   ")
    note = services.add_note(enquiry, by=personas["agent"], text="Ringet op")

    assert note.kind == Kind.NOTE and note.text == "Ringet op"


def test_reveal_cpr_is_logged_and_limited_to_permitted_roles(personas):
    citizen = CitizenFactory(cpr="0703421234")

    with pytest.raises(PermissionDenied):
        services.reveal_cpr(citizen, by=personas["agent"], reason="Verify")
    with pytest.raises(ValidationError):
        services.reveal_cpr(citizen, by=personas["team_lead"], reason=" ")
    assert not CprReveal.objects.exists()

    assert services.reveal_cpr(citizen, by=personas["team_lead"], reason="Brev") == "070342-1234"
    assert CprReveal.objects.get().revealed_by == personas["team_lead"]


def test_visible_to_scopes_agents_to_their_team(taxonomy, personas):
    own = EnquiryFactory(category=CategoryFactory(topic__queue=taxonomy["support"]))
    other = EnquiryFactory(category=CategoryFactory(topic__queue=taxonomy["ministry"]))

    assert list(Enquiry.objects.visible_to(personas["agent"])) == [own]
    assert set(Enquiry.objects.visible_to(personas["manager"])) == {own, other}
