"""The agent-facing pages: list and triage, log form, detail, citizens."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries import services
from enquiries.models import (
    Category,
    Citizen,
    CprReveal,
    Enquiry,
    EnquiryEvent,
    SavedFilter,
    Topic,
)
from tests.factories import CitizenFactory, EnquiryFactory

Status = Enquiry.Status
LIST = reverse("enquiries:list")
CREATE = reverse("enquiries:create")
CPR = "0703421234"


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def citizen(db):
    return CitizenFactory(name="Inger Christensen", cpr=CPR, phone="21 43 65 87")


@pytest.fixture
def citizen_on_file(citizen, support):
    """The citizen, known to the support team through an earlier enquiry
    (citizens are visible to a team only through its enquiries)."""
    return EnquiryFactory(citizen=citizen, queue=support, category=None)


def register(queue, by, **kwargs):
    kwargs.setdefault("subject", "Har ikke fået koden")
    return services.register_enquiry(queue, by=by, **kwargs)


def detail_url(enquiry):
    return reverse("enquiries:detail", kwargs={"reference": enquiry.reference})


def log_data(queue, **overrides):
    data = {
        "queue": queue.pk,
        "subject": "Kan ikke aktivere NemID",
        "priority": "2",
        "channel": "phone",
        "received_at": "2010-11-09T10:30",
        "language": "da",
        "citizen_choice": "none",
    }
    data.update(overrides)
    return data


# --- The list ---------------------------------------------------------------


def test_list_shows_badges_and_time_left_to_deadline(client_as, support, category, personas):
    now = timezone.now()
    late = EnquiryFactory(category=category, subject="Forsinket sag", overdue=True)
    soon = EnquiryFactory(
        category=category, subject="Snart", resolution_due_at=now + datetime.timedelta(hours=3)
    )
    urgent = EnquiryFactory(category=category, subject="Haster", priority=4)

    html = client_as("agent").get(LIST).content.decode()

    for enquiry in (late, soon, urgent):
        assert enquiry.reference in html
    assert "badge--overdue" in html
    # The list's narrow column names the deadline for screen readers and in
    # the tooltip; the time is in its largest unit ("overdue" alone outside
    # business hours, when no business time has passed).
    hidden_name = '<span class="visually-hidden">First response: </span>'
    assert re.search(rf"{hidden_name}overdue( \d+ (h|min))?</time>", html)
    assert 'title="Resolution: ' in html
    assert re.search(r"</span>\d+ (h|min|working days?) left</time>", html)
    assert 'class="badge badge--priority-4"' in html


def test_list_filters_by_escalation_level_from_the_timeline(client_as, category, lead_escalation):
    escalated_twice, escalated_once, reopened = lead_escalation
    EnquiryFactory(category=category, subject="Aldrig eskaleret", overdue=True)

    level_1 = client_as("team_lead").get(LIST, {"escalated": "1"})
    level_2 = client_as("team_lead").get(LIST, {"escalated": "2"})

    assert {e.pk for e in level_1.context["page"]} == {
        escalated_twice.pk,
        escalated_once.pk,
        reopened.pk,
    }
    assert {e.pk for e in level_2.context["page"]} == {escalated_twice.pk}
    assert '<option value="2" selected>' in level_2.content.decode()


def test_list_refuses_an_unknown_escalation_level_naming_the_filter(client_as, personas):
    response = client_as("team_lead").get(LIST, {"escalated": "7"})

    assert response.status_code == 200
    assert response.context["filterset"].form.errors.keys() == {"escalated"}
    assert list(response.context["page"]) == []


@pytest.fixture
def lead_escalation(category, personas, support):
    """Escalated by the real sweep: to 1 and 2, to 1 only, to 1 then reopened."""
    from enquiries import escalation

    now = timezone.now()
    made = [EnquiryFactory(category=category, team=support.team, overdue=True) for _ in range(3)]
    escalation.escalate_overdue_enquiries(now=now)
    Enquiry.objects.filter(pk=made[0].pk).update(next_escalation_at=now)
    escalation.escalate_overdue_enquiries(now=now + datetime.timedelta(seconds=1))
    reopened = made[2]
    services.transition_enquiry(reopened, to=Status.RESOLVED, by=None, resolution="Hjulpet.")
    services.transition_enquiry(reopened, to=Status.IN_PROGRESS, by=personas["team_lead"])
    reopened.refresh_from_db()
    assert reopened.escalation_level == 0
    return made


def test_list_filters_by_status_and_unassigned(client_as, support, category, personas):
    mine = register(support, personas["agent"], category=category, assignee=personas["agent"])
    nobodys = register(support, personas["agent"], category=category, subject="Ingen ejer")
    resolved = register(support, personas["agent"], category=category, subject="Løst")
    services.transition_enquiry(resolved, to=Status.RESOLVED, by=None, resolution="Hjulpet.")

    response = client_as("agent").get(LIST, {"assignee": "null", "status": ["new"]})

    shown = {e.reference for e in response.context["page"].object_list}
    assert shown == {nobodys.reference}
    assert mine.reference not in shown


def test_list_free_text_finds_reference_and_words(client_as, support, category, personas):
    wanted = register(support, personas["agent"], category=category, subject="Nøglekort mistet")
    register(support, personas["agent"], category=category, subject="Noget helt andet")

    by_word = client_as("agent").get(LIST, {"q": "mistet"}).context["page"].object_list
    by_reference = client_as("agent").get(LIST, {"q": wanted.reference.lower()})

    assert [e.pk for e in by_word] == [wanted.pk]
    assert [e.pk for e in by_reference.context["page"].object_list] == [wanted.pk]


@pytest.mark.parametrize("persona", ["agent", "team_lead", "manager"])
@pytest.mark.parametrize("rows", [1, 25])
def test_list_query_count_does_not_grow_with_rows(
    client_as, category, citizen, persona, rows, django_assert_num_queries
):
    client = client_as(persona)
    for _ in range(rows):
        EnquiryFactory(category=category, citizen=citizen, overdue=True)
    # Session, user, two permission look-ups, roles; the queue count for the
    # option labels; the row count; the filter options (queues, topics, and
    # topics again for "topic raised"); saved filters; the page's ids, then
    # its rows. Categories and people are type-aheads: no options read. Team
    # leads add the bulk form's queue count and the queues whose people they
    # may assign, and the open known problems of the bulk link (agents link
    # one enquiry at a time, from its page); all but managers read the recent
    # incidents of the incident bulk link.
    expected = {"agent": 14, "team_lead": 17, "manager": 13}[persona]

    with django_assert_num_queries(expected):
        response = client.get(LIST, {"is_open": "true", "ordering": "-priority"})

    assert len(response.context["page"].object_list) == rows


@pytest.fixture
def twelve_hundred_and_one(category):
    """1,201 enquiries, straight into the table as the demo loader writes them."""
    template = EnquiryFactory(category=category)
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Enquiry._meta.concrete_fields
        if f.attname not in ("id", "reference")
    }
    Enquiry.objects.bulk_create(
        Enquiry(**fields, reference=f"NID-2010-{n:06d}") for n in range(1, 1201)
    )


def test_list_counts_up_to_a_thousand_and_offers_the_exact_count(client_as, twelve_hundred_and_one):
    # Counting all of a broad filter is most of the list's time at 1M.
    response = client_as("manager").get(LIST, {"is_open": "true"})

    page = response.context["page"]
    assert page.paginator.is_capped
    assert page.paginator.count == 1001
    assert page.paginator.num_pages == 40
    assert len(page.object_list) == 25
    html = response.content.decode()
    assert re.search(r"More than 1[.,]?000 enquiries", html)
    assert 'href="?is_open=true&amp;count=exact"' in html
    assert 'href="?is_open=true&amp;page=2"' in html


def test_list_asked_for_the_exact_count_counts_every_match_on_every_page(
    client_as, twelve_hundred_and_one
):
    # A dashboard figure drills down with count=exact: "more than 1000"
    # would not equal it, nor would its second page.
    response = client_as("manager").get(LIST, {"is_open": "true", "count": "exact"})

    page = response.context["page"]
    assert not page.paginator.is_capped
    assert page.paginator.count == 1201
    assert page.paginator.num_pages == 49
    assert len(page.object_list) == 25
    html = response.content.decode()
    assert re.search(r"1[.,]?201 enquiries", html)
    assert 'href="?is_open=true&amp;count=exact&amp;page=2"' in html


def test_list_shows_the_exact_count(client_as, category):
    for _ in range(3):
        EnquiryFactory(category=category)

    response = client_as("manager").get(LIST)

    assert response.context["page"].paginator.count == 3
    assert "3 enquiries" in response.content.decode()


@pytest.mark.parametrize("text", [CPR, "070342-1234", "kode 070342 1234"])
def test_list_sends_a_cpr_number_away_from_the_address_and_explains(client_as, personas, text):
    client = client_as("agent")

    response = client.get(LIST, {"q": text, "status": "new"})

    assert response.status_code == 302
    assert "1234" not in response["Location"]
    assert response["Location"].startswith(f"{LIST}?")
    assert "status=new" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Use the citizen look-up" in page
    assert "1234" not in page


def test_list_sort_links_toggle_and_pages_keep_filters(client_as, support, category, personas):
    for _ in range(27):
        EnquiryFactory(category=category)

    response = client_as("agent").get(LIST, {"status": "new", "ordering": "-priority"})

    html = response.content.decode()
    assert 'aria-sort="descending"><a href="?status=new&amp;ordering=priority"' in html
    assert 'href="?status=new&amp;ordering=-priority&amp;page=2"' in html
    second = client_as("agent").get(LIST, {"status": "new", "ordering": "-priority", "page": 2})
    assert len(second.context["page"].object_list) == 2


def test_list_by_citizen_names_the_citizen(client_as, support, category, citizen, personas):
    theirs = register(support, personas["agent"], category=category, citizen=citizen)
    register(support, personas["agent"], category=category, subject="Anden borger")

    response = client_as("agent").get(LIST, {"citizen": citizen.pk})

    assert [e.pk for e in response.context["page"].object_list] == [theirs.pk]
    assert "Inger Christensen" in response.content.decode()


@pytest.mark.parametrize("persona", ["secretariat", "manager"])
def test_list_by_citizen_for_a_role_that_may_not_see_citizens_says_so(
    client_as, support, category, citizen, personas, persona
):
    register(support, personas["agent"], category=category, citizen=citizen)
    register(support, personas["agent"], category=category, subject="Anden borger")
    client = client_as(persona)

    response = client.get(LIST, {"citizen": citizen.pk, "status": "new"})

    # Sent to the list without the filter, with a message, rather than
    # shown every enquiry under an address that names a citizen.
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?status=new"
    page = client.get(response["Location"])
    assert (
        "Your role may not see citizens, so enquiries cannot be filtered by citizen."
        in page.content.decode()
    )
    assert len(page.context["page"].object_list) == 2
    assert "Inger Christensen" not in page.content.decode()


def test_saved_filter_of_a_role_that_may_not_see_citizens_leaves_the_citizen_out(
    client_as, citizen, personas
):
    url = reverse("enquiries:savedfilter-create")

    response = client_as("secretariat").post(
        f"{url}?status=new&citizen={citizen.pk}", {"name": "Nye"}
    )

    saved = SavedFilter.objects.get(owner=personas["secretariat"])
    assert saved.query_string == "status=new"
    assert response["Location"] == f"{LIST}?status=new"


# --- Saved filters -------------------------------------------------------------


def test_save_filter_keeps_the_query_without_page_or_cpr(client_as, personas):
    url = reverse("enquiries:savedfilter-create")
    query = f"?status=new&status=triaged&page=3&q=kode+{CPR}&foo=bar"

    response = client_as("agent").post(url + query, {"name": "Nye sager", "is_shared": "on"})

    saved = SavedFilter.objects.get(owner=personas["agent"])
    assert saved.query_string == "q=kode&status=new&status=triaged"
    assert saved.is_shared
    assert response["Location"] == f"{LIST}?{saved.query_string}"


def test_shared_filters_show_to_others_but_only_the_owner_may_delete(client_as, personas):
    shared = SavedFilter.objects.create(
        owner=personas["team_lead"], name="Haster", query_string="priority=4", is_shared=True
    )
    SavedFilter.objects.create(
        owner=personas["team_lead"], name="Privat", query_string="priority=1"
    )

    html = client_as("agent").get(LIST).content.decode()

    assert "Haster" in html and "?priority=4" in html
    assert "Privat" not in html
    assert reverse("enquiries:savedfilter-delete", kwargs={"pk": shared.pk}) not in html
    own = client_as("team_lead").post(
        reverse("enquiries:savedfilter-delete", kwargs={"pk": shared.pk})
    )
    assert own.status_code == 302
    assert not SavedFilter.objects.filter(pk=shared.pk).exists()


def test_save_filter_with_a_taken_name_rerenders_the_list(client_as, personas):
    SavedFilter.objects.create(owner=personas["agent"], name="Mine", query_string="")

    response = client_as("agent").post(
        reverse("enquiries:savedfilter-create") + "?status=new", {"name": "Mine"}
    )

    assert response.status_code == 200
    assert "already have a filter called" in response.content.decode()
    assert response.context["save_form"]["name"].value() == "Mine"
    assert SavedFilter.objects.count() == 1


# --- Bulk triage ---------------------------------------------------------------


def test_bulk_triage_changes_all_selected_in_one_batch(client_as, support, category, personas):
    first = register(support, personas["agent"])
    second = register(support, personas["agent"])
    untouched = register(support, personas["agent"])

    response = client_as("team_lead").post(
        reverse("enquiries:bulk-triage") + "?status=new",
        {
            "selected": [first.pk, second.pk],
            "assignee": personas["agent"].pk,
            "category": category.pk,
            "priority": "3",
            "status": "triaged",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?status=new"
    for enquiry in (first, second):
        enquiry.refresh_from_db()
        assert (enquiry.assignee, enquiry.category, enquiry.priority, enquiry.status) == (
            personas["agent"],
            category,
            3,
            Status.TRIAGED,
        )
    batches = set(EnquiryEvent.objects.exclude(batch=None).values_list("batch", flat=True))
    assert len(batches) == 1
    untouched.refresh_from_db()
    assert untouched.category is None
    page = client_as("agent").get(detail_url(first)).content.decode()
    assert "Bulk change" in page


def test_bulk_triage_refused_for_one_changes_none_and_keeps_the_choices(
    client_as, support, category, personas
):
    ready = register(support, personas["agent"], category=category)
    no_category = register(support, personas["agent"])

    response = client_as("team_lead").post(
        reverse("enquiries:bulk-triage"),
        {"selected": [ready.pk, no_category.pk], "priority": "4", "status": "triaged"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{no_category.reference}: Choose a category before triage." in html
    assert f'value="{ready.pk}" id="select-{ready.pk}" checked' in html
    assert f'value="{no_category.pk}" id="select-{no_category.pk}" checked' in html
    assert '<option value="4" selected>' in html
    assert '<option value="triaged" selected>' in html
    ready.refresh_from_db()
    assert (ready.priority, ready.status) == (Enquiry.Priority.NORMAL, Status.NEW)
    assert not EnquiryEvent.objects.exclude(batch=None).exists()


def test_bulk_triage_needs_a_selection_and_a_change(client_as, support, personas):
    enquiry = register(support, personas["agent"])
    url = reverse("enquiries:bulk-triage")

    nothing_selected = client_as("team_lead").post(url, {"priority": "3"})
    nothing_chosen = client_as("team_lead").post(url, {"selected": [enquiry.pk]})

    assert "Select at least one enquiry." in nothing_selected.content.decode()
    assert "Choose at least one change to apply." in nothing_chosen.content.decode()


# --- Logging an enquiry -------------------------------------------------------------


def test_log_form_starts_with_the_agents_defaults(client_as, support, personas):
    before = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)

    form = client_as("agent").get(CREATE).context["form"]

    assert form["queue"].value() == support.pk
    assert form["channel"].value() == "phone"
    assert form["priority"].value() == Enquiry.Priority.NORMAL
    assert form["language"].value() == "da"
    assert form["assignee"].value() == str(personas["agent"].pk)
    assert form["citizen_choice"].value() == "none"
    assert form["received_at"].value() >= before


def test_log_form_response_is_never_cached(client_as, personas):
    response = client_as("agent").get(CREATE)

    assert "no-store" in response["Cache-Control"]


def test_log_enquiry_for_a_found_citizen(
    client_as, support, category, citizen, citizen_on_file, personas
):
    topic = Topic.objects.get(queue=support, code="noeglekort")

    response = client_as("agent").post(
        CREATE,
        log_data(
            support,
            citizen_choice=citizen.pk,
            category=category.pk,
            additional_topics=[topic.pk],
            assignee=personas["agent"].pk,
            description="Borgeren har ventet to uger.",
        ),
    )

    enquiry = Enquiry.objects.exclude(pk=citizen_on_file.pk).get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(enquiry)
    assert enquiry.citizen == citizen
    assert enquiry.category == category
    assert list(enquiry.additional_topics.all()) == [topic]
    assert enquiry.assignee == personas["agent"]
    assert enquiry.created_by == personas["agent"]
    assert timezone.localtime(enquiry.received_at).strftime("%Y-%m-%d %H:%M") == "2010-11-09 10:30"
    assert enquiry.status == Status.NEW


def test_log_enquiry_registers_a_new_citizen_and_resolves_at_once(
    client_as, support, category, personas
):
    response = client_as("agent").post(
        CREATE,
        log_data(
            support,
            category=category.pk,
            citizen_choice="new",
            resolve_now="on",
            resolution="Ny adgangskode bestilt under samtalen.",
            **{
                "citizen-name": "Poul Andersen",
                "citizen-cpr": "151138-9876",
                "citizen-phone": "33 12 45 78",
                "citizen-needs_blind_solution": "on",
            },
        ),
    )

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    citizen = enquiry.citizen
    assert citizen.name == "Poul Andersen"
    assert citizen.cpr_masked == "151138-xxxx"
    assert citizen.needs_blind_solution and not citizen.needs_large_print
    assert Citizen.objects.with_cpr("1511389876").get() == citizen
    assert enquiry.status == Status.RESOLVED
    assert enquiry.resolution == "Ny adgangskode bestilt under samtalen."
    assert list(enquiry.events.values_list("kind", flat=True)) == ["created", "status"]


def test_log_enquiry_refused_by_the_service_saves_nothing(client_as, taxonomy, personas):
    ministry_category = Category.objects.filter(topic__queue=taxonomy["ministry"]).first()

    response = client_as("admin").post(
        CREATE,
        log_data(
            taxonomy["support"],
            category=ministry_category.pk,
            citizen_choice="new",
            **{"citizen-name": "Birgitte Larsen", "citizen-cpr": "2902524321"},
        ),
    )

    assert response.status_code == 200
    assert "belongs to another queue" in str(response.context["form"].errors["category"])
    assert not Enquiry.objects.exists()
    assert not Citizen.objects.exists()
    assert response.context["form"]["subject"].value() == "Kan ikke aktivere NemID"


@pytest.mark.parametrize(
    ("text", "found"),
    [(CPR, True), ("070342-1234", True), ("inger", True), ("21436587", True), ("Poul", False)],
)
def test_citizen_lookup_finds_by_cpr_name_or_phone(
    client_as, citizen, citizen_on_file, text, found
):
    response = client_as("agent").post(reverse("enquiries:citizen-lookup"), {"citizen_query": text})

    html = response.content.decode()
    assert (f'value="{citizen.pk}"' in html) is found
    assert 'hx-swap-oob="innerHTML:#citizen-lookup-status"' in html
    assert CPR not in html
    assert "no-store" in response["Cache-Control"]


def test_lookup_without_javascript_rerenders_the_form_with_matches(
    client_as, support, citizen, citizen_on_file, personas
):
    response = client_as("agent").post(
        CREATE,
        log_data(support, action="lookup", citizen_query="Inger", subject="Udfyldt emne"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{citizen.pk}" id="citizen-{citizen.pk}"' in html
    assert 'value="Udfyldt emne"' in html
    assert not response.context["form"].errors
    assert list(Enquiry.objects.all()) == [citizen_on_file]


@pytest.mark.parametrize("text", ["310299-1234", "3102991234", "000000-0000", "311399 4444"])
def test_an_impossible_cpr_number_is_called_invalid_not_unknown(client_as, citizen, text):
    url = reverse("enquiries:citizen-lookup")

    html = client_as("agent").post(url, {"citizen_query": text}).content.decode()

    assert "This is not a valid CPR number" in html
    assert "No citizen found" not in html
    assert "data-lookup-error" in html


def test_a_ten_digit_phone_number_with_45_is_still_a_phone_number(client_as, citizen):
    url = reverse("enquiries:citizen-lookup")

    html = client_as("agent").post(url, {"citizen_query": "4521436587"}).content.decode()

    assert f'value="{citizen.pk}"' in html
    assert "not a valid CPR number" not in html


def test_the_citizen_search_page_says_an_impossible_number_is_invalid(client_as, citizen):
    response = client_as("agent").post(reverse("enquiries:citizen-list"), {"q": "310299-1234"})

    assert "not a valid CPR number" in " ".join(response.context["form"].errors["q"])
    assert "1234" not in response.content.decode().split("<main")[1].split("</form>")[1]


@pytest.mark.parametrize(("query", "offered"), [("Ukendt Person", True), ("Inger", False)])
def test_lookup_without_javascript_focuses_registering_when_nobody_is_found(
    client_as, support, citizen, citizen_on_file, query, offered
):
    response = client_as("agent").post(
        CREATE, log_data(support, action="lookup", citizen_query=query)
    )

    html = response.content.decode()
    fresh = re.search(r'<input type="radio" name="citizen_choice" value="new"[^>]*>', html)[0]
    query_box = re.search(r'<input type="search" name="citizen_query"[^>]*>', html)[0]
    assert ("autofocus" in fresh) is offered
    assert ("autofocus" in query_box) is not offered


# --- The detail page -------------------------------------------------------------


def test_detail_shows_facts_timeline_and_the_citizens_other_enquiries(
    client_as, support, category, citizen, personas
):
    earlier = register(support, personas["agent"], citizen=citizen, subject="Tidligere opkald")
    enquiry = register(support, personas["agent"], citizen=citizen, category=category)
    services.add_note(enquiry, by=personas["agent"], text="Ringer igen i morgen.")

    response = client_as("agent").get(detail_url(enquiry))

    html = response.content.decode()
    assert enquiry.reference in html and category.label in html
    assert "Ringer igen i morgen." in html
    assert str(personas["agent"]) in html
    assert "070342-xxxx" in html and CPR not in html
    assert reverse("enquiries:citizen-detail", kwargs={"pk": citizen.pk}) in html
    assert detail_url(earlier) in html
    actions = [value for value, _ in response.context["transition_form"].actions()]
    assert actions == list(services.allowed_transitions(enquiry))


@pytest.mark.parametrize("persona", ["secretariat", "manager"])
def test_readers_see_no_citizen_details_and_no_change_forms(
    client_as, support, citizen, personas, persona
):
    enquiry = register(support, personas["agent"], citizen=citizen)

    response = client_as(persona).get(detail_url(enquiry))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Inger Christensen" not in html and "070342" not in html
    assert "transition_form" not in response.context
    assert reverse("enquiries:transition", kwargs={"reference": enquiry.reference}) not in html


def test_resolve_needs_a_resolution_then_resolves(client_as, support, personas):
    enquiry = register(support, personas["agent"])
    url = reverse("enquiries:transition", kwargs={"reference": enquiry.reference})

    refused = client_as("agent").post(url, {"status": "resolved", "note": "Forsøgt"})
    resolved = client_as("agent").post(url, {"status": "resolved", "resolution": "Hjulpet."})

    assert refused.status_code == 200
    assert "Describe the resolution before resolving." in refused.content.decode()
    assert refused.context["transition_form"]["note"].value() == "Forsøgt"
    assert resolved.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.resolution) == (Status.RESOLVED, "Hjulpet.")


def test_reopen_a_resolved_enquiry_with_a_note(client_as, support, personas):
    enquiry = register(support, personas["agent"])
    services.transition_enquiry(enquiry, to=Status.RESOLVED, by=None, resolution="Løst.")
    url = reverse("enquiries:transition", kwargs={"reference": enquiry.reference})

    page = client_as("agent").get(detail_url(enquiry))
    response = client_as("agent").post(url, {"status": "in_progress", "note": "Ringede igen."})

    assert ("in_progress", "Reopen") in [
        (value, str(label)) for value, label in page.context["transition_form"].actions()
    ]
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.IN_PROGRESS
    assert enquiry.events.last().text == "Reopened. Ringede igen."


def test_assign_to_me_to_someone_else_and_to_nobody(client_as, support, personas):
    enquiry = register(support, personas["agent"])
    url = reverse("enquiries:assign", kwargs={"reference": enquiry.reference})
    team_lead = client_as("team_lead")

    team_lead.post(url, {"assignee": personas["team_lead"].pk})
    enquiry.refresh_from_db()
    assert enquiry.assignee == personas["team_lead"]
    team_lead.post(url, {"assignee": personas["agent"].pk})
    enquiry.refresh_from_db()
    assert enquiry.assignee == personas["agent"]
    team_lead.post(url, {"assignee": ""})
    enquiry.refresh_from_db()
    assert enquiry.assignee is None
    assert enquiry.events.filter(kind="assigned").count() == 3


def test_assign_to_someone_who_cannot_work_on_enquiries_is_refused(client_as, support, personas):
    enquiry = register(support, personas["agent"])
    url = reverse("enquiries:assign", kwargs={"reference": enquiry.reference})

    response = client_as("team_lead").post(url, {"assignee": personas["manager"].pk})

    assert response.status_code == 200
    assert response.context["assign_form"].errors["assignee"]
    enquiry.refresh_from_db()
    assert enquiry.assignee is None


def test_add_note_appears_on_the_timeline(client_as, support, personas):
    enquiry = register(support, personas["agent"])

    response = client_as("agent").post(
        reverse("enquiries:add-note", kwargs={"reference": enquiry.reference}),
        {"text": "Sendt vejledning."},
    )

    assert response.status_code == 302
    note = enquiry.events.get(kind="note")
    assert (note.text, note.actor) == ("Sendt vejledning.", personas["agent"])


def test_edit_classification_writes_the_timeline(client_as, support, category, personas):
    enquiry = register(support, personas["agent"])
    topic = Topic.objects.get(queue=support, code="noeglekort")

    response = client_as("agent").post(
        reverse("enquiries:edit", kwargs={"reference": enquiry.reference}),
        {
            "queue": support.pk,
            "subject": "Har ikke fået den midlertidige kode",
            "category": category.pk,
            "additional_topics": [topic.pk],
            "priority": "3",
            "description": "",
            "version": enquiry.version,
        },
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.category, enquiry.priority) == (category, 3)
    assert enquiry.subject == "Har ikke fået den midlertidige kode"
    kinds = set(enquiry.events.values_list("kind", flat=True))
    assert {"category", "priority", "topics"} <= kinds


# --- Citizens ------------------------------------------------------------------


def test_citizen_search_by_cpr_is_a_post_and_shows_only_the_masked_number(
    client_as, citizen, support, personas
):
    register(support, personas["agent"], citizen=citizen)
    CitizenFactory(name="Poul Andersen", cpr="1511389876")

    response = client_as("agent").post(reverse("enquiries:citizen-list"), {"q": "070342-1234"})

    assert [c.pk for c in response.context["results"]] == [citizen.pk]
    assert response.context["results"][0].enquiry_count == 1
    html = response.content.decode()
    assert "070342-xxxx" in html
    assert html.count("070342-1234") == 1  # Only in the search field typed into.
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("rows", [1, 25])
def test_citizen_list_query_count_does_not_grow(
    client_as, support, personas, rows, django_assert_num_queries
):
    for _ in range(rows):
        register(support, personas["agent"], citizen=CitizenFactory())
    client = client_as("agent")
    # Once before: the incident banner is cached for the pages after it.
    client.get(reverse("enquiries:citizen-list"))

    # Session, user, count, rows with enquiry counts (the permissions and
    # roles are kept since the first request, accounts.access).
    with django_assert_num_queries(4):
        response = client.get(reverse("enquiries:citizen-list"))

    assert len(response.context["page"].object_list) == rows


def test_citizen_detail_lists_all_their_enquiries(client_as, support, citizen, personas):
    enquiries = [register(support, personas["agent"], citizen=citizen) for _ in range(3)]

    response = client_as("agent").get(
        reverse("enquiries:citizen-detail", kwargs={"pk": citizen.pk})
    )

    assert [e.pk for e in response.context["enquiries"]] == [e.pk for e in reversed(enquiries)]
    assert "reveal_form" not in response.context  # Agents may not reveal.


def test_reveal_cpr_shows_the_number_once_and_logs_it(
    client_as, citizen, citizen_on_file, personas
):
    url = reverse("enquiries:citizen-reveal-cpr", kwargs={"pk": citizen.pk})

    response = client_as("team_lead").post(url, {"reason": "Borgeren bad om at få det læst op."})

    assert response.status_code == 200
    assert "070342-1234" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    reveal = CprReveal.objects.get()
    assert (reveal.citizen, reveal.revealed_by) == (citizen, personas["team_lead"])
    page = client_as("team_lead").get(
        reverse("enquiries:citizen-detail", kwargs={"pk": citizen.pk})
    )
    assert "070342-1234" not in page.content.decode()


def test_reveal_cpr_without_a_reason_shows_nothing_and_logs_nothing(
    client_as, citizen, citizen_on_file
):
    url = reverse("enquiries:citizen-reveal-cpr", kwargs={"pk": citizen.pk})

    response = client_as("team_lead").post(url, {"reason": "  "})

    assert response.status_code == 200
    assert "070342-1234" not in response.content.decode()
    assert response.context["reveal_form"].errors["reason"]
    assert not CprReveal.objects.exists()


def test_edit_citizen_keeps_the_cpr_unless_a_new_one_is_typed(client_as, citizen, citizen_on_file):
    url = reverse("enquiries:citizen-edit", kwargs={"pk": citizen.pk})
    client = client_as("agent")

    client.post(
        url,
        {
            "name": "Inger Christensen",
            "phone": "40 50 60 70",
            "cpr": "",
            "version": citizen.version,
        },
    )
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.cpr_masked) == ("40 50 60 70", "070342-xxxx")
    client.post(url, {"name": "Inger Christensen", "cpr": "0101801111", "version": citizen.version})
    citizen.refresh_from_db()
    assert citizen.cpr_masked == "010180-xxxx"


def test_register_citizen_with_a_cpr_already_taken_is_refused(client_as, citizen):
    response = client_as("agent").post(
        reverse("enquiries:citizen-create"), {"name": "Dobbelt", "cpr": "070342-1234"}
    )

    assert response.status_code == 200
    assert "already registered" in str(response.context["form"].errors["cpr"])
    assert Citizen.objects.count() == 1
