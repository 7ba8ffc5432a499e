"""People and categories by type-ahead: what the pages render, what they take.

Without JavaScript the text box is plain text: an id, a username or enough
of a name finds the person; anything else is a clear error naming what was
typed. No page renders the options.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from enquiries import services
from enquiries.fields import CategoryField, PersonField
from enquiries.forms import AssignForm, BulkTriageForm
from enquiries.models import Category, Enquiry
from tests.factories import TeamFactory, UserFactory

CREATE = "/enquiries/new/"
LIST = "/enquiries/"
CPR = "070342-1234"


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def namesakes(support_team):
    return [
        UserFactory(
            username=username,
            first_name="Ali",
            last_name="Thomsen",
            role="support_agent",
            team=support_team,
        )
        for username in ("alth", "alit")
    ]


@pytest.fixture
def letter_desk(taxonomy):
    team = TeamFactory(name="Brevkontoret")
    taxonomy["ministry"].team = team
    taxonomy["ministry"].save()
    return UserFactory(
        username="kah", first_name="Karen", last_name="Hansen", role="support_agent", team=team
    )


def people_field(**kwargs) -> PersonField:
    return PersonField(User.objects.select_related("team"), required=False, **kwargs)


def test_a_person_is_found_by_id_username_or_a_unique_name(personas):
    agent = personas["agent"]
    field = people_field()

    assert field.clean(str(agent.pk)) == agent
    assert field.clean(agent.username.upper()) == agent
    assert field.clean(agent.get_full_name()) == agent
    assert field.clean("") is None


def test_namesakes_are_an_error_that_names_each_by_username(namesakes):
    field = people_field()

    with pytest.raises(Exception) as refused:
        field.clean("Ali Thomsen")

    message = " ".join(refused.value.messages)
    assert "fits several people" in message
    assert "(alit · NemID-support)" in message and "(alth · NemID-support)" in message
    assert field.clean("alth") == namesakes[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [("nobody-here", "No one called “nobody-here”"), ("kode\x00", "Null characters")],
)
def test_text_that_finds_no_one_is_an_error_saying_so(personas, text, message):
    with pytest.raises(Exception) as refused:
        people_field().clean(text)

    assert message in " ".join(refused.value.messages)


def test_a_cpr_number_typed_into_a_picker_is_never_searched_or_shown(personas):
    field = people_field()

    with pytest.raises(Exception) as refused:
        field.clean(f"Xyzzy {CPR}")

    assert "1234" not in " ".join(refused.value.messages)
    assert field.clean(f"agent {CPR}") == personas["agent"]
    assert "1234" not in field.widget.render("x", field.prepare_value(f"Xyzzy {CPR}"))


def test_fixed_choices_are_taken_by_value_or_by_label(personas):
    field = people_field(static_choices=[("none", "Nobody (unassign)")])

    assert field.clean("none") == "none"
    assert field.clean("nobody (UNASSIGN)") == "none"


def test_the_widget_renders_the_chosen_person_only_never_options(personas, namesakes):
    agent = personas["agent"]
    field = people_field(params={"queue": "#id_queue"})

    html = field.widget.render("assignee", field.prepare_value(agent), {"id": "id_assignee"})

    assert "<option" not in html and "<select" not in html
    assert f'value="{agent.username}"' in html
    assert f'data-typeahead-value="{agent.pk}"' in html
    assert f"({agent.username} · NemID-support)" in html
    assert 'data-typeahead="/api/v1/people/"' in html
    assert "&quot;queue&quot;: &quot;#id_queue&quot;" in html


def test_text_that_found_nothing_comes_back_as_typed_and_unchosen(personas):
    field = people_field()

    html = field.widget.render("assignee", field.prepare_value("Per Nobody"))

    assert 'value="Per Nobody"' in html
    assert 'data-typeahead-value=""' in html


@pytest.mark.parametrize("text", ["id", "midlertidig adgangskode › ikke modtaget"])
def test_a_category_is_found_by_id_or_its_label(support, category, text):
    field = CategoryField(Category.objects.filter(topic__queue=support), required=False)

    assert field.clean(str(category.pk) if text == "id" else text) == category


def test_a_category_name_under_several_topics_asks_which(support, category):
    field = CategoryField(Category.objects.filter(topic__queue=support), required=False)

    with pytest.raises(Exception) as refused:
        field.clean("Ikke modtaget")

    message = " ".join(refused.value.messages)
    assert "fits several categories" in message
    assert category.label in message


@pytest.mark.parametrize("url", [CREATE, LIST])
@pytest.mark.parametrize("persona", ["agent", "team_lead", "admin"])
def test_no_page_renders_people_or_categories_as_options(
    client_as, support_team, namesakes, url, persona
):
    for n in range(30):
        UserFactory(username=f"floor{n:02d}", role="support_agent", team=support_team)

    html = client_as(persona).get(url).content.decode()

    assert "floor0" not in html
    assert not re.search(r'<select name="(assignee|category)"', html)
    assert re.search(r'<input type="text" name="assignee"[^>]*data-typeahead=', html)
    assert re.search(r'<input type="text" name="category"[^>]*data-typeahead=', html)


def test_the_log_form_takes_a_username_without_javascript(client_as, support, category, personas):
    response = client_as("agent").post(
        CREATE,
        {
            "queue": support.pk,
            "subject": "Kode ikke modtaget",
            "category": category.label,
            "priority": "2",
            "channel": "phone",
            "received_at": "2010-11-09T10:30",
            "language": "da",
            "citizen_choice": "none",
            "assignee": "team_lead",
        },
    )

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.assignee, enquiry.category) == (personas["team_lead"], category)


def test_the_log_form_refuses_someone_the_queue_may_not_be_given_to(
    client_as, taxonomy, support, letter_desk, personas
):
    data = {
        "queue": support.pk,
        "subject": "Kode ikke modtaget",
        "priority": "2",
        "channel": "phone",
        "received_at": "2010-11-09T10:30",
        "language": "da",
        "citizen_choice": "none",
        "assignee": letter_desk.pk,
    }

    response = client_as("admin").post(CREATE, data)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["assignee"])
    assert "Karen Hansen cannot be given enquiries of the queue" in errors
    assert not Enquiry.objects.exists()
    # The same person is fine for the letter desk's own queue.
    ministry = client_as("admin").post(CREATE, {**data, "queue": taxonomy["ministry"].pk})
    assert ministry.status_code == 302


def test_the_log_form_suggests_the_user_only_where_they_may_take_the_work(
    client_as, personas, taxonomy
):
    agent_form = client_as("agent").get(CREATE).context["form"]
    admin_form = client_as("admin").get(CREATE).context["form"]

    assert agent_form["assignee"].value() == str(personas["agent"].pk)
    assert admin_form["assignee"].value() == ""


def test_assigning_on_the_detail_page_offers_the_queues_people(
    client_as, support, personas, letter_desk
):
    enquiry = services.register_enquiry(support, by=personas["agent"], subject="Hej")
    url = reverse("enquiries:assign", kwargs={"reference": enquiry.reference})

    refused = client_as("agent").post(url, {"assignee": letter_desk.username})
    taken = client_as("agent").post(url, {"assignee": "team_lead"})

    assert "No one called" in " ".join(refused.context["assign_form"].errors["assignee"])
    assert taken.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.assignee == personas["team_lead"]


def test_an_assignee_who_left_the_team_may_keep_the_enquiry(support, personas, letter_desk):
    enquiry = services.register_enquiry(
        support, by=personas["agent"], subject="Hej", assignee=personas["agent"]
    )
    User.objects.filter(pk=personas["agent"].pk).update(team=letter_desk.team)

    form = AssignForm({"assignee": str(personas["agent"].pk)}, enquiry=enquiry)

    assert form.is_valid(), form.errors


def test_bulk_assignment_names_each_enquiry_the_person_may_not_take(
    taxonomy, support, personas, letter_desk
):
    mine = services.register_enquiry(support, by=personas["admin"], subject="Support")
    letters = services.register_enquiry(taxonomy["ministry"], by=personas["admin"], subject="Brev")

    form = BulkTriageForm(
        {"selected": [mine.pk, letters.pk], "assignee": "kah"}, user=personas["admin"]
    )

    assert not form.is_valid()
    assert form.errors["assignee"] == [
        f"{mine.reference}: Karen Hansen cannot be given enquiries of the queue {support}."
    ]


@pytest.mark.parametrize("value", ["none", "Nobody (unassign)"])
def test_bulk_unassign_by_its_value_or_its_label(support, personas, value):
    enquiry = services.register_enquiry(
        support, by=personas["team_lead"], subject="Hej", assignee=personas["agent"]
    )

    form = BulkTriageForm({"selected": [enquiry.pk], "assignee": value}, user=personas["team_lead"])

    assert form.is_valid(), form.errors
    assert form.save(by=personas["team_lead"]) == 1
    enquiry.refresh_from_db()
    assert enquiry.assignee is None


@pytest.mark.parametrize("value", ["pk", "username", "null"])
def test_the_list_filters_by_assignee_id_username_or_nobody(client_as, category, personas, value):
    agent = personas["agent"]
    theirs = Enquiry.objects.create(
        queue=category.topic.queue, category=category, subject="Min", reference="NID-2010-1",
        channel="phone", assignee=agent,
    )  # fmt: skip
    nobodys = Enquiry.objects.create(
        queue=category.topic.queue, category=category, subject="Ingen", reference="NID-2010-2",
        channel="phone",
    )  # fmt: skip
    query = {"pk": agent.pk, "username": agent.username, "null": "null"}[value]

    response = client_as("agent").get(LIST, {"assignee": query})

    expected = nobodys if value == "null" else theirs
    assert [e.pk for e in response.context["page"].object_list] == [expected.pk]
    assert response.context["filters_open"]


def test_an_unknown_assignee_filter_says_so_and_keeps_the_text(client_as, personas):
    response = client_as("agent").get(LIST, {"assignee": "Ingen Sådan"})

    form = response.context["filterset"].form
    assert "No one called “Ingen Sådan”" in " ".join(form.errors["assignee"])
    assert 'value="Ingen Sådan"' in response.content.decode()
