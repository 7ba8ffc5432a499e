"""The workflow table, move by move: every allowed and every forbidden move.

The cases are generated from `services.TRANSITIONS` over all status pairs,
so a new status or a new move gets its tests without anyone writing them.
WORKFLOW below is the README's workflow written out; the table must match
it, so a move added or dropped by mistake fails here too.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enquiries import services
from enquiries.models import Enquiry, EnquiryEvent
from tests.factories import CategoryFactory, EnquiryFactory

Status = Enquiry.Status
Kind = EnquiryEvent.Kind

# README, "Status workflow": new -> triaged -> in progress -> waiting for
# citizen -> resolved -> closed, with reopen back to in progress; triage may
# be skipped and a quick answer resolves at once.
WORKFLOW = {
    Status.NEW: {Status.TRIAGED, Status.IN_PROGRESS, Status.RESOLVED},
    Status.TRIAGED: {Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED},
    Status.IN_PROGRESS: {Status.WAITING, Status.RESOLVED},
    Status.WAITING: {Status.IN_PROGRESS, Status.RESOLVED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: {Status.IN_PROGRESS},
}
PAIRS = [(old, new) for old in Status.values for new in Status.values]
ALLOWED = [pair for pair in PAIRS if pair[1] in services.TRANSITIONS[pair[0]]]
FORBIDDEN = [pair for pair in PAIRS if pair[1] not in services.TRANSITIONS[pair[0]]]
NOW = datetime.datetime(2010, 11, 15, 10, 0, tzinfo=datetime.UTC)
EARLIER = NOW - datetime.timedelta(days=2)


def in_status(status: str, **fields) -> Enquiry:
    """An enquiry already in `status`, with what that status implies."""
    fields.setdefault("resolution", "Ny kode sendt")
    if status in (Status.RESOLVED, Status.CLOSED):
        fields.setdefault("resolved_at", EARLIER)
        fields.setdefault("first_responded_at", EARLIER)
    if status == Status.CLOSED:
        fields.setdefault("closed_at", EARLIER)
    if status == Status.WAITING:
        fields.setdefault("sla_paused_at", EARLIER)
    return EnquiryFactory(status=status, category=CategoryFactory(), **fields)


def test_the_table_is_the_documented_workflow():
    assert {old: set(new) for old, new in services.TRANSITIONS.items()} == WORKFLOW


def test_every_status_has_a_row():
    assert set(services.TRANSITIONS) == set(Status.values)


def pair_id(pair):
    return f"{pair[0]}->{pair[1]}"


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=map(pair_id, ALLOWED))
def test_allowed_move_changes_the_status_and_writes_one_timeline_line(old, new, personas):
    enquiry = in_status(old)

    services.transition_enquiry(enquiry, to=new, by=personas["agent"], now=NOW)

    enquiry.refresh_from_db()
    assert enquiry.status == new
    assert list(enquiry.events.values_list("kind", "old_value", "new_value", "actor")) == [
        (Kind.STATUS, old, new, personas["agent"].pk)
    ]
    assert services.allowed_transitions(enquiry) == services.TRANSITIONS[new]


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), FORBIDDEN, ids=map(pair_id, FORBIDDEN))
def test_forbidden_move_is_refused_naming_the_allowed_ones(old, new, personas):
    enquiry = in_status(old)

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(enquiry, to=new, by=personas["agent"], now=NOW)

    message = info.value.message_dict["status"][0]
    assert "cannot become" in message
    for allowed in services.TRANSITIONS[old]:
        assert str(Status(allowed).label) in message
    enquiry.refresh_from_db()
    assert enquiry.status == old
    assert not enquiry.events.exists()


@pytest.mark.django_db
def test_unknown_status_is_refused(personas):
    enquiry = in_status(Status.NEW)

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(enquiry, to="lost", by=personas["agent"])

    assert "is not a status" in info.value.message_dict["status"][0]


FIRST_RESPONSE_MOVES = [
    pair for pair in ALLOWED if pair[0] in (Status.NEW, Status.TRIAGED) and pair[1] != pair[0]
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new"), FIRST_RESPONSE_MOVES, ids=map(pair_id, FIRST_RESPONSE_MOVES)
)
def test_first_response_is_the_first_move_to_work_on_the_enquiry(old, new, personas):
    enquiry = in_status(old, channel="letter")

    services.transition_enquiry(enquiry, to=new, by=personas["agent"], now=NOW)

    enquiry.refresh_from_db()
    if new == Status.TRIAGED:
        # Sorting an enquiry into a category answers nobody.
        assert enquiry.first_responded_at is None
    else:
        assert enquiry.first_responded_at == NOW


@pytest.mark.django_db
def test_first_response_already_given_is_kept(personas):
    enquiry = in_status(Status.TRIAGED, first_responded_at=EARLIER)

    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=personas["agent"], now=NOW)

    enquiry.refresh_from_db()
    assert enquiry.first_responded_at == EARLIER


@pytest.mark.django_db
def test_resolving_stamps_resolved_at_and_puts_the_resolution_on_the_timeline(personas):
    enquiry = in_status(Status.IN_PROGRESS, resolution="")

    services.transition_enquiry(
        enquiry, to=Status.RESOLVED, by=personas["agent"], resolution="Ny kode sendt", now=NOW
    )

    enquiry.refresh_from_db()
    assert (enquiry.resolved_at, enquiry.closed_at) == (NOW, None)
    assert enquiry.resolution == "Ny kode sendt"
    assert enquiry.events.get().text == "Ny kode sendt"


@pytest.mark.django_db
def test_a_note_on_resolving_is_the_timeline_text(personas):
    enquiry = in_status(Status.IN_PROGRESS)

    services.transition_enquiry(
        enquiry, to=Status.RESOLVED, by=personas["agent"], note="Ringede tilbage", now=NOW
    )

    assert enquiry.events.get().text == "Ringede tilbage"


@pytest.mark.django_db
def test_resolving_needs_a_resolution_that_is_more_than_blanks(personas):
    enquiry = in_status(Status.IN_PROGRESS, resolution="")

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(
            enquiry, to=Status.RESOLVED, by=personas["agent"], resolution="   "
        )

    assert "resolution" in info.value.message_dict


@pytest.mark.django_db
def test_triage_needs_a_category(personas):
    enquiry = in_status(Status.NEW)
    Enquiry.objects.filter(pk=enquiry.pk).update(category=None)

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(enquiry, to=Status.TRIAGED, by=personas["agent"])

    assert "category" in info.value.message_dict


@pytest.mark.django_db
def test_closing_stamps_closed_at_and_keeps_resolved_at(personas):
    enquiry = in_status(Status.RESOLVED)

    services.transition_enquiry(enquiry, to=Status.CLOSED, by=personas["agent"], now=NOW)

    enquiry.refresh_from_db()
    assert (enquiry.resolved_at, enquiry.closed_at) == (EARLIER, NOW)
    assert enquiry.events.get().text == ""


@pytest.mark.django_db
@pytest.mark.parametrize("old", sorted(Enquiry.CLOSED_STATUSES))
def test_reopening_clears_the_stamps_and_says_so(old, personas):
    enquiry = in_status(old)

    services.reopen_enquiry(enquiry, by=personas["agent"], note="Ringede igen")

    enquiry.refresh_from_db()
    assert enquiry.status == Status.IN_PROGRESS
    assert (enquiry.resolved_at, enquiry.closed_at) == (None, None)
    assert enquiry.events.get().text == "Reopened. Ringede igen"


@pytest.mark.django_db
@pytest.mark.parametrize("old", [s for s in Status.values if s not in Enquiry.CLOSED_STATUSES])
def test_only_resolved_or_closed_enquiries_reopen(old, personas):
    enquiry = in_status(old)

    with pytest.raises(ValidationError) as info:
        services.reopen_enquiry(enquiry, by=personas["agent"])

    assert "reopened" in info.value.message_dict["status"][0]


@pytest.mark.django_db
def test_an_anonymised_enquiry_is_not_reopened(personas):
    enquiry = in_status(Status.CLOSED, anonymised_at=EARLIER)

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=personas["agent"])

    assert "anonymised" in info.value.message_dict["status"][0]


@pytest.mark.django_db
def test_an_anonymised_open_enquiry_still_moves_on(personas):
    enquiry = in_status(Status.IN_PROGRESS, anonymised_at=EARLIER)

    services.transition_enquiry(enquiry, to=Status.RESOLVED, by=personas["agent"], now=NOW)

    enquiry.refresh_from_db()
    assert enquiry.status == Status.RESOLVED


@pytest.mark.django_db
def test_waiting_pauses_the_clock_and_leaving_it_resumes(personas):
    enquiry = in_status(Status.IN_PROGRESS)

    services.transition_enquiry(enquiry, to=Status.WAITING, by=personas["agent"], now=NOW)
    enquiry.refresh_from_db()
    assert enquiry.sla_paused_at == NOW

    services.transition_enquiry(enquiry, to=Status.RESOLVED, by=personas["agent"], now=NOW)
    enquiry.refresh_from_db()
    assert enquiry.sla_paused_at is None


@pytest.mark.django_db
def test_a_move_between_running_statuses_leaves_the_clock_alone(personas):
    enquiry = in_status(Status.TRIAGED)

    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=personas["agent"], now=NOW)

    enquiry.refresh_from_db()
    assert enquiry.sla_paused_at is None
    assert enquiry.resolved_at is None and enquiry.closed_at is None


@pytest.mark.django_db
def test_a_cpr_number_in_the_note_is_refused(personas):
    enquiry = in_status(Status.NEW)

    with pytest.raises(ValidationError) as info:
        services.transition_enquiry(
            enquiry, to=Status.IN_PROGRESS, by=personas["agent"], note="Ring 070342-1234"
        )

    assert "note" in info.value.message_dict
    enquiry.refresh_from_db()
    assert enquiry.status == Status.NEW


@pytest.mark.django_db
def test_the_move_is_stamped_with_now_and_batch(personas):
    import uuid

    enquiry = in_status(Status.NEW)
    batch = uuid.uuid4()

    services.transition_enquiry(
        enquiry, to=Status.IN_PROGRESS, by=personas["agent"], batch=batch, now=NOW
    )

    event = enquiry.events.get()
    assert (event.created_at, event.batch) == (NOW, batch)


@pytest.mark.django_db
def test_without_now_the_move_happens_at_the_current_time(personas):
    enquiry = in_status(Status.NEW, channel="letter")
    before = timezone.now()

    returned = services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=personas["agent"])

    assert returned.pk == enquiry.pk and returned.status == Status.IN_PROGRESS
    assert enquiry.status == Status.IN_PROGRESS  # the caller's instance is refreshed
    assert before <= enquiry.first_responded_at <= timezone.now()


@pytest.mark.django_db
def test_leaving_waiting_gives_the_paused_business_time_back(taxonomy, personas):
    from seed.reference import load_sla_policies

    load_sla_policies()
    cph = ZoneInfo("Europe/Copenhagen")
    monday_9 = datetime.datetime(2010, 11, 1, 9, tzinfo=cph)
    agent = personas["agent"]
    enquiry = services.register_enquiry(
        taxonomy["support"], by=agent, subject="Brevet", channel="letter", received_at=monday_9
    )
    due_before = enquiry.resolution_due_at

    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent, now=monday_9)
    services.transition_enquiry(enquiry, to=Status.WAITING, by=agent, now=monday_9)
    tuesday_9 = monday_9 + datetime.timedelta(days=1)
    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=agent, now=tuesday_9)

    enquiry.refresh_from_db()
    assert enquiry.sla_paused_time == datetime.timedelta(hours=8)
    assert enquiry.resolution_due_at > due_before
    assert enquiry.events.filter(kind=Kind.DEADLINE, text__contains="waiting").exists()


@pytest.mark.django_db
def test_reopening_starts_a_new_deadline_cycle(taxonomy, personas):
    enquiry = in_status(Status.CLOSED, escalation_level=2, escalated_at=EARLIER)

    services.transition_enquiry(enquiry, to=Status.IN_PROGRESS, by=personas["agent"], now=NOW)

    enquiry.refresh_from_db()
    assert (enquiry.escalation_level, enquiry.escalated_at) == (0, None)
    assert enquiry.sla_started_at == NOW
