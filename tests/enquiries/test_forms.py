"""Bad input on every form: the page comes back naming the field, keeps what
was typed, saves nothing, and never answers 500."""

import re

import pytest
from django.urls import reverse

from enquiries import services
from enquiries.models import (
    Category,
    Citizen,
    CprReveal,
    Enquiry,
    EnquiryEvent,
    SavedFilter,
)
from tests.factories import CitizenFactory

CREATE = reverse("enquiries:create")
NUL = "kode\x00"
LONG_SUBJECT = "x" * 201
LONG_TEXT = "y" * 20001


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def enquiry(support, category, personas):
    return services.register_enquiry(
        support, by=personas["agent"], subject="Har ikke fået koden", category=category
    )


def log_data(support, **overrides):
    data = {
        "queue": str(support.pk),
        "subject": "Kan ikke aktivere NemID",
        "priority": "2",
        "channel": "phone",
        "received_at": "2010-11-09T10:30",
        "language": "da",
        "citizen_choice": "none",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def _counts():
    return (Enquiry.objects.count(), Citizen.objects.count(), EnquiryEvent.objects.count())


# field in error, the field's label in the summary, what was posted, and the
# value that must come back in the form.
LOG_FORM_CASES = [
    ("subject", "Subject", {"subject": None}, None),
    ("subject", "Subject", {"subject": LONG_SUBJECT}, LONG_SUBJECT),
    ("subject", "Subject", {"subject": NUL}, None),
    ("subject", "Subject", {"subject": "CPR 070342-1234 ringede"}, None),
    ("description", "Description", {"description": LONG_TEXT}, None),
    ("description", "Description", {"description": NUL}, None),
    ("queue", "Queue", {"queue": None}, None),
    ("queue", "Queue", {"queue": "999999"}, None),
    ("queue", "Queue", {"queue": "abc"}, None),
    ("received_at", "Received", {"received_at": "2010-13-45T10:00"}, "2010-13-45T10:00"),
    ("received_at", "Received", {"received_at": "i går"}, "i går"),
    ("received_at", "Received", {"received_at": "2999-01-01T10:00"}, None),
    ("priority", "Priority", {"priority": "9"}, None),
    ("channel", "Channel", {"channel": "fax"}, None),
    ("language", "Language", {"language": None}, None),
    ("category", "Category", {"category": "999999"}, None),
    ("category", "Category", {"category": "Kaffe"}, "Kaffe"),
    ("additional_topics", "Further topics", {"additional_topics": "999999"}, None),
    ("assignee", "Assignee", {"assignee": "999999"}, None),
    ("citizen_choice", "Citizen", {"citizen_choice": "abc"}, None),
    ("citizen_choice", "Citizen", {"citizen_choice": "99999999999999999"}, None),
    ("resolution", "Resolution", {"resolve_now": "on", "resolution": " "}, None),
    ("resolution", "Resolution", {"resolve_now": "on", "resolution": LONG_TEXT}, None),
]


@pytest.mark.parametrize(("field", "label", "changes", "kept"), LOG_FORM_CASES)
def test_log_form_bad_input_names_the_field_and_saves_nothing(
    client_as, support, field, label, changes, kept
):
    data = log_data(support, **changes)
    before = _counts()

    response = client_as("agent").post(CREATE, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert f"{label}: " in response.content.decode()
    assert _counts() == before
    if kept is not None:
        assert form[field].value() == kept
    # What else was typed is still there.
    if field != "subject":
        assert form["subject"].value() == data["subject"]


def test_log_form_keeps_every_typed_value_on_error(client_as, support, category, personas):
    data = log_data(
        support,
        subject=None,
        description="Borgeren har ventet længe.",
        category=str(category.pk),
        priority="4",
        channel="email",
        language="en",
        resolve_now="on",
        resolution="Sendt ny kode.",
        citizen_choice="new",
        citizen_query="Poul",
        **{
            "citizen-name": "Poul Andersen",
            "citizen-cpr": "151138-9876",
            "citizen-phone": "33 12 45 78",
            "citizen-email": "poul@example.invalid",
            "citizen-address": "Nørregade 1, 1165 København K",
            "citizen-needs_large_print": "on",
        },
    )

    response = client_as("agent").post(CREATE, data)

    form = response.context["form"]
    for name in ("description", "priority", "channel", "language", "resolution"):
        assert str(form[name].value()) == data[name]
    assert form["category"].value() == str(category.pk)
    assert form["resolve_now"].value() is True
    citizen = form.citizen_form
    assert citizen["name"].value() == "Poul Andersen"
    assert citizen["cpr"].value() == "151138-9876"
    assert citizen["address"].value() == "Nørregade 1, 1165 København K"
    assert citizen["needs_large_print"].value() is True
    html = response.content.decode()
    # The CPR number comes back only in the field it was typed into.
    assert html.count("151138-9876") == 1
    cpr_input = re.search(r'<input[^>]*name="citizen-cpr"[^>]*>', html).group(0)
    assert 'value="151138-9876"' in cpr_input
    assert not Citizen.objects.exists()


@pytest.mark.parametrize(
    ("cpr", "message"),
    [
        ("12345", "ten digits"),
        ("070342-12345", "ten digits"),
        ("3202421234", "valid date of birth"),
        ("0101354000", "future"),
        ("07034\x00-1234", "Null characters"),
    ],
)
def test_log_form_with_a_bad_cpr_names_the_cpr_field(client_as, support, cpr, message):
    data = log_data(support, citizen_choice="new", **{"citizen-name": "Ny", "citizen-cpr": cpr})

    response = client_as("agent").post(CREATE, data)

    citizen_form = response.context["form"].citizen_form
    assert message in str(citizen_form.errors["cpr"])
    assert "CPR number: " in response.content.decode()
    assert not Citizen.objects.exists() and not Enquiry.objects.exists()


def test_log_form_new_citizen_needs_a_name(client_as, support):
    data = log_data(support, citizen_choice="new", **{"citizen-phone": "40506070"})

    response = client_as("agent").post(CREATE, data)

    assert "name" in response.context["form"].citizen_form.errors
    assert response.context["form"].citizen_form["phone"].value() == "40506070"
    assert not Enquiry.objects.exists()


def test_log_form_ignores_citizen_fields_when_no_new_citizen_is_chosen(client_as, support):
    data = log_data(support, citizen_choice="none", **{"citizen-cpr": "rubbish"})

    response = client_as("agent").post(CREATE, data)

    assert response.status_code == 302
    assert Enquiry.objects.get().citizen is None


def test_log_form_refuses_a_category_of_another_queue(client_as, taxonomy, support):
    ministry_category = Category.objects.filter(topic__queue=taxonomy["ministry"]).first()
    data = log_data(support, category=str(ministry_category.pk))

    # An agent is not offered the other queue's categories at all; an
    # administrator is, and the service refuses the mix.
    for persona, message in [("agent", "No category is called"), ("admin", "another queue")]:
        response = client_as(persona).post(CREATE, data)
        assert message in str(response.context["form"].errors["category"])
    assert not Enquiry.objects.exists()


def test_lookup_with_bad_input_answers_without_error(client_as):
    url = reverse("enquiries:citizen-lookup")
    for text in (NUL, "z" * 5000, "", "   "):
        response = client_as("agent").post(url, {"citizen_query": text})
        assert response.status_code == 200


# --- The detail page's forms ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "closed"}, "status", "cannot become"),
        ({"status": "bogus"}, "status", "valid choice"),
        ({}, "status", "required"),
        ({"status": "triaged", "note": NUL}, "note", "Null characters"),
        ({"status": "triaged", "note": LONG_TEXT}, "note", "at most 20000"),
        ({"status": "resolved", "resolution": ""}, "resolution", "Describe the resolution"),
        ({"status": "triaged", "note": "CPR 070342-1234"}, "note", "looks like a CPR"),
        ({"status": "resolved", "resolution": "Gav 0703421234"}, "resolution", "looks like a CPR"),
    ],
)
def test_illegal_or_bad_status_change_is_refused(client_as, enquiry, data, field, message):
    url = reverse("enquiries:transition", kwargs={"reference": enquiry.reference})

    response = client_as("agent").post(url, data)

    assert response.status_code == 200
    assert message in str(response.context["transition_form"].errors[field])
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.NEW
    assert not enquiry.events.filter(kind="status").exists()


def test_triage_without_a_category_is_refused_with_a_message(client_as, support, personas):
    enquiry = services.register_enquiry(support, by=personas["agent"], subject="Uden kategori")
    url = reverse("enquiries:transition", kwargs={"reference": enquiry.reference})

    response = client_as("agent").post(url, {"status": "triaged", "note": "Triageret"})

    assert "Choose a category before triage." in response.content.decode()
    assert response.context["transition_form"]["note"].value() == "Triageret"


@pytest.mark.parametrize("text", ["", "   ", NUL, LONG_TEXT, "Ring på 0703421234"])
def test_bad_note_is_refused(client_as, enquiry, text):
    url = reverse("enquiries:add-note", kwargs={"reference": enquiry.reference})

    response = client_as("agent").post(url, {"text": text})

    assert response.status_code == 200
    assert response.context["note_form"].errors["text"]
    assert not enquiry.events.filter(kind="note").exists()


@pytest.mark.parametrize(
    ("assignee", "message"),
    [("999999", "No one called"), ("abc", "No one called"), (NUL, "Null characters")],
)
def test_bad_assignee_is_refused(client_as, enquiry, assignee, message):
    url = reverse("enquiries:assign", kwargs={"reference": enquiry.reference})

    response = client_as("agent").post(url, {"assignee": assignee})

    assert response.status_code == 200
    assert message in str(response.context["assign_form"].errors["assignee"])
    enquiry.refresh_from_db()
    assert enquiry.assignee is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": LONG_SUBJECT}, "subject"),
        ({"subject": NUL}, "subject"),
        ({"priority": "0"}, "priority"),
        ({"category": "999999"}, "category"),
        ({"description": LONG_TEXT}, "description"),
        ({"description": "Borgeren har CPR 070342-1234"}, "description"),
        ({"queue": "999999"}, "queue"),
    ],
)
def test_bad_edit_changes_nothing(client_as, enquiry, changes, field):
    data = {
        "queue": str(enquiry.queue_id),
        "subject": "Nyt emne",
        "category": str(enquiry.category_id),
        "priority": "3",
        "description": "",
        "version": enquiry.version,
        **changes,
    }
    url = reverse("enquiries:edit", kwargs={"reference": enquiry.reference})

    response = client_as("agent").post(url, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    enquiry.refresh_from_db()
    assert (enquiry.subject, enquiry.priority) == ("Har ikke fået koden", 2)
    if field != "subject":
        assert response.context["form"]["subject"].value() == "Nyt emne"


def test_edit_choosing_another_queues_category_names_the_category(client_as, taxonomy, enquiry):
    ministry_category = Category.objects.filter(topic__queue=taxonomy["ministry"]).first()
    url = reverse("enquiries:edit", kwargs={"reference": enquiry.reference})
    data = {
        "queue": str(enquiry.queue_id),
        "subject": enquiry.subject,
        "category": str(ministry_category.pk),
        "priority": "2",
        "version": enquiry.version,
    }

    response = client_as("admin").post(url, data)

    assert "belongs to another queue" in str(response.context["form"].errors["category"])
    enquiry.refresh_from_db()
    assert enquiry.category.topic.queue == taxonomy["support"]


def test_edit_moving_queue_drops_the_old_queues_category(client_as, taxonomy, enquiry):
    url = reverse("enquiries:edit", kwargs={"reference": enquiry.reference})
    data = {
        "queue": str(taxonomy["ministry"].pk),
        "subject": enquiry.subject,
        "category": str(enquiry.category_id),
        "priority": "2",
        "version": enquiry.version,
    }

    response = client_as("admin").post(url, data)

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.queue, enquiry.category) == (taxonomy["ministry"], None)
    assert set(enquiry.events.values_list("kind", flat=True)) >= {"queue", "category"}


@pytest.mark.parametrize(
    "data",
    [
        {"selected": ["999999"], "priority": "3"},
        {"selected": ["abc"], "priority": "3"},
        {"selected": [NUL], "priority": "3"},
        {"priority": "9"},
        {"status": "bogus"},
        {"assignee": "999999"},
    ],
)
def test_bad_bulk_triage_changes_nothing(client_as, enquiry, data):
    data = {"selected": [str(enquiry.pk)], **data}

    response = client_as("team_lead").post(reverse("enquiries:bulk-triage"), data)

    assert response.status_code == 200
    assert response.context["bulk_form"].errors
    assert "Nothing was changed" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.priority == 2
    assert not EnquiryEvent.objects.exclude(batch=None).exists()


@pytest.mark.parametrize("name", ["", "z" * 101, NUL, "Inger 070342-1234"])
def test_bad_saved_filter_name_is_refused(client_as, name):
    response = client_as("agent").post(reverse("enquiries:savedfilter-create"), {"name": name})

    assert response.status_code == 200
    assert response.context["save_form"].errors["name"]
    assert not SavedFilter.objects.exists()


def test_too_long_filter_cannot_be_saved(client_as):
    query = "?q=" + "ord+" * 600

    response = client_as("agent").post(
        reverse("enquiries:savedfilter-create") + query, {"name": "Lang"}
    )

    assert "too long to save" in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_list_with_bad_filters_shows_errors_not_500(client_as):
    response = client_as("agent").get(
        reverse("enquiries:list"),
        {
            "received_after": "2010-13-45",
            "category": "999999",
            "status": "bogus",
            "overdue": "maybe",
            "page": "x",
        },
    )

    assert response.status_code == 200
    errors = response.context["filterset"].form.errors
    assert {"received_after", "category", "status", "overdue"} <= set(errors)


def test_list_with_nul_in_the_address_is_a_400(client_as):
    response = client_as("agent").get(reverse("enquiries:list"), {"q": NUL})

    assert response.status_code == 400


# --- Citizens --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "z" * 201}, "name"),
        ({"name": NUL}, "name"),
        ({"name": "Ny", "cpr": "3202421234"}, "cpr"),
        ({"name": "Ny", "email": "ikke-en-adresse"}, "email"),
        ({"name": "Ny", "address": "a" * 1001}, "address"),
        ({"name": "Ny", "address": "Vejen 1, CPR 070342-1234"}, "address"),
        ({"name": "Inger 0703421234"}, "name"),
        ({"name": "Ny", "phone": "1" * 31}, "phone"),
    ],
)
def test_bad_citizen_is_refused(client_as, data, field):
    response = client_as("agent").post(reverse("enquiries:citizen-create"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Citizen.objects.exists()


def test_editing_a_citizen_to_another_citizens_cpr_is_refused(client_as, support):
    CitizenFactory(name="Inger", cpr="0703421234")
    other = CitizenFactory(name="Poul", cpr="1511389876", known_to=[support])

    response = client_as("agent").post(
        reverse("enquiries:citizen-edit", kwargs={"pk": other.pk}),
        {"name": "Poul", "cpr": "0703421234"},
    )

    assert "already registered" in str(response.context["form"].errors["cpr"])
    other.refresh_from_db()
    assert other.cpr_masked == "151138-xxxx"


@pytest.mark.parametrize("q", [NUL, "z" * 101])
def test_bad_citizen_search_answers_with_the_form(client_as, q):
    response = client_as("agent").post(reverse("enquiries:citizen-list"), {"q": q})

    assert response.status_code == 200
    assert response.context["form"].errors["q"]


@pytest.mark.parametrize("reason", ["", "r" * 201, NUL, "Ringede fra 070342-1234"])
def test_bad_reveal_reason_reveals_nothing(client_as, support, reason):
    citizen = CitizenFactory(cpr="0703421234", known_to=[support])

    response = client_as("team_lead").post(
        reverse("enquiries:citizen-reveal-cpr", kwargs={"pk": citizen.pk}), {"reason": reason}
    )

    assert response.status_code == 200
    assert response.context["reveal_form"].errors["reason"]
    assert "070342-1234" not in response.content.decode().replace(reason, "")
    assert not CprReveal.objects.exists()
