"""The team lead's deadline page: who sees it, what it lists, one-step reassign."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries import services
from enquiries.models import Enquiry, EnquiryEvent
from tests.factories import TeamFactory, UserFactory
from tests.permissions import LOGIN, answer

URL = "/enquiries/breaches/"


@pytest.fixture
def overdue_letter(support, policies, personas):
    """A support letter received 10 days ago: past both deadlines."""

    def make(**kwargs):
        kwargs.setdefault("subject", "Venter stadig på svar")
        return services.register_enquiry(
            support,
            by=personas["agent"],
            channel="letter",
            received_at=timezone.now() - datetime.timedelta(days=10),
            **kwargs,
        )

    return make


def test_url_is_named():
    assert reverse("enquiries:breaches") == URL


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agent", 403),
        ("team_lead", 200),
        ("secretariat", 403),
        ("manager", 200),
        ("admin", 200),
        ("anonymous", LOGIN),
    ],
)
def test_who_may_see_the_page(client_as, persona, status):
    assert answer(client_as(persona).get(URL)) == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agent", 403),
        ("team_lead", 302),
        ("secretariat", 403),
        ("manager", 403),
        ("admin", 302),
        ("anonymous", LOGIN),
    ],
)
def test_who_may_reassign(client_as, personas, overdue_letter, persona, status):
    enquiry = overdue_letter()
    agent = personas["agent"]

    response = client_as(persona).post(URL, {"selected": [enquiry.pk], "assignee": agent.pk})

    assert answer(response) == status
    enquiry.refresh_from_db()
    assert (enquiry.assignee == agent) is (persona in ("team_lead", "admin"))


def test_lists_breached_and_due_soon_but_not_later_or_closed(
    client_as, support, policies, personas, overdue_letter
):
    breached = overdue_letter(subject="Overskredet")
    now = timezone.now()
    soon = services.register_enquiry(
        support, by=personas["agent"], channel="letter", subject="Snart", received_at=now
    )
    # Due within the at-risk window whatever the time of day.
    Enquiry.objects.filter(pk=soon.pk).update(
        first_response_due_at=None, resolution_due_at=now + datetime.timedelta(minutes=1)
    )
    later = services.register_enquiry(
        support, by=personas["agent"], channel="phone", subject="Senere", received_at=now
    )
    Enquiry.objects.filter(pk=later.pk).update(resolution_due_at=now + datetime.timedelta(days=30))
    done = overdue_letter(subject="Løst")
    services.transition_enquiry(
        done, to=Enquiry.Status.RESOLVED, by=personas["agent"], resolution="Svar sendt"
    )

    response = client_as("team_lead").get(URL)

    rows = [enquiry.pk for enquiry in response.context["rows"]]
    assert rows == [breached.pk, soon.pk]
    html = response.content.decode()
    assert "badge--overdue" in html
    assert "badge--deadline-due_soon" in html


def test_team_lead_sees_only_the_own_teams(client_as, taxonomy, policies, personas):
    other_team = TeamFactory(name="Brevkontoret")
    ministry = taxonomy["ministry"]
    ministry.team = other_team
    ministry.save()
    services.register_enquiry(
        ministry,
        by=personas["admin"],
        channel="letter",
        subject="Brev",
        received_at=timezone.now() - datetime.timedelta(days=30),
    )

    assert list(client_as("team_lead").get(URL).context["rows"]) == []
    assert len(client_as("admin").get(URL).context["rows"]) == 1


def test_rows_show_their_team_and_sort_by_it(
    client_as, taxonomy, policies, personas, overdue_letter
):
    overdue_letter()
    ministry = taxonomy["ministry"]
    ministry.team = TeamFactory(name="Brevkontoret")
    ministry.save()
    services.register_enquiry(
        ministry,
        by=personas["admin"],
        channel="letter",
        subject="Brev",
        received_at=timezone.now() - datetime.timedelta(days=30),
    )
    client = client_as("admin")

    by_team = client.get(URL, {"sort": "team"})
    backwards = client.get(URL, {"sort": "-team"})

    teams = [str(enquiry.team) for enquiry in by_team.context["rows"]]
    assert teams == ["Brevkontoret", "NemID-support"]
    assert [str(e.team) for e in backwards.context["rows"]] == teams[::-1]
    html = by_team.content.decode()
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-team">Team' in html


def test_manager_sees_no_reassign_form(client_as, overdue_letter):
    overdue_letter()

    html = client_as("manager").get(URL).content.decode()

    assert "Venter stadig" in html
    assert 'name="assignee"' not in html


def test_reassign_goes_through_the_service_and_the_timeline(client_as, personas, overdue_letter):
    enquiry = overdue_letter()
    agent = personas["agent"]

    response = client_as("team_lead").post(
        URL, {"selected": [enquiry.pk], "assignee": agent.pk}, follow=True
    )

    assert response.status_code == 200
    assert f"{enquiry.reference} is now assigned" in response.content.decode()
    event = enquiry.events.get(kind=EnquiryEvent.Kind.ASSIGNED)
    assert (event.actor, event.new_value) == (personas["team_lead"], str(agent.pk))


def test_reassign_to_someone_outside_the_team_is_refused(client_as, overdue_letter):
    enquiry = overdue_letter()
    outsider = UserFactory(username="outsider", role="support_agent", team=TeamFactory())

    response = client_as("team_lead").post(URL, {"selected": [enquiry.pk], "assignee": outsider.pk})

    assert response.status_code == 400
    html = response.content.decode()
    # The lead is not offered the outsider; typed in anyway, it is refused.
    assert "No one called" in html
    assert 'href="#id_assignee"' in html
    enquiry.refresh_from_db()
    assert enquiry.assignee is None


@pytest.mark.parametrize(
    "data",
    [
        {"selected": "999999", "assignee": "1"},
        {"selected": "abc", "assignee": "x"},
        {"selected": "1\x00", "assignee": ""},
        {"selected": "1", "assignee": "1\x00"},
        {},
    ],
)
def test_bad_reassign_input_is_a_400_not_a_500(client_as, overdue_letter, data):
    overdue_letter()

    response = client_as("team_lead").post(URL, data)

    assert response.status_code == 400


def test_reassign_of_an_enquiry_the_lead_cannot_see_is_refused(
    client_as, taxonomy, personas, policies
):
    ministry = taxonomy["ministry"]
    hidden = services.register_enquiry(
        ministry, by=personas["admin"], channel="letter", subject="Brev"
    )

    response = client_as("team_lead").post(
        URL, {"selected": [hidden.pk], "assignee": personas["agent"].pk}
    )

    assert response.status_code == 400
    hidden.refresh_from_db()
    assert hidden.assignee is None


@pytest.mark.parametrize("count", [1, 25])
def test_page_costs_the_same_queries_for_1_and_25_rows(
    client_as, overdue_letter, django_assert_num_queries, count
):
    for _ in range(count):
        overdue_letter()
    client = client_as("team_lead")

    # session, user, user permissions, group permissions, roles (visible_to),
    # count, rows, assignable users.
    with django_assert_num_queries(8):
        response = client.get(URL)

    assert len(response.context["rows"]) == count


def test_search_finds_by_reference_subject_or_assignee(client_as, personas, overdue_letter):
    mine = overdue_letter(subject="Nøglekortet er væk", assignee=personas["agent"])
    other = overdue_letter(subject="Brevet kom aldrig")
    client = client_as("team_lead")

    def found(text):
        return [e.pk for e in client.get(URL, {"q": text}).context["rows"]]

    assert found("nøglekortet") == [mine.pk]
    assert found(other.reference) == [other.pk]
    assert found(personas["agent"].username) == [mine.pk]
    assert found("Ingen sådan sag") == []


def test_a_cpr_number_in_the_search_is_never_searched_nor_echoed(client_as, overdue_letter):
    overdue_letter(subject="Har ikke fået koden")

    response = client_as("team_lead").get(URL, {"q": "kode 070342-1234", "sort": "team"})

    assert response.status_code == 302
    assert "1234" not in response["Location"]
    assert "sort=team" in response["Location"]
    page = client_as("team_lead").get(response["Location"])
    assert len(page.context["rows"]) == 1
    assert "1234" not in page.content.decode()
    assert "CPR numbers are never searched here" in page.content.decode()


@pytest.mark.parametrize(
    ("sort", "first"),
    [("due", "old"), ("-due", "new"), ("reference", "old"), ("-reference", "new")],
)
def test_columns_sort_on_the_server_both_ways(
    client_as, support, personas, overdue_letter, sort, first
):
    old = overdue_letter(subject="Gammel")
    new = overdue_letter(subject="Ny")
    Enquiry.objects.filter(pk=old.pk).update(
        resolution_due_at=timezone.now() - datetime.timedelta(days=20)
    )

    rows = client_as("team_lead").get(URL, {"sort": sort}).context["rows"]

    assert [e.pk for e in rows] == ([old.pk, new.pk] if first == "old" else [new.pk, old.pk])


@pytest.mark.parametrize("sort", ["password", "-__class__", "team__lead__password", "-"])
def test_an_unknown_sort_falls_back_to_the_deadline(client_as, overdue_letter, sort):
    overdue_letter()

    response = client_as("team_lead").get(URL, {"sort": sort})

    assert response.status_code == 200
    assert response.context["sorting"].current == "due"
    assert 'aria-sort="ascending"><a href="?sort=-due">Deadline' in response.content.decode()


def test_pages_of_fifty_keep_the_search_and_sort(client_as, overdue_letter):
    for _ in range(51):
        overdue_letter(subject="Brev")
    client = client_as("team_lead")

    first = client.get(URL, {"q": "brev", "sort": "-due"})
    second = client.get(URL, {"q": "brev", "sort": "-due", "page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 1
    assert 'href="?q=brev&amp;sort=-due&amp;page=2"' in first.content.decode()


def test_several_ticked_enquiries_go_to_one_person_in_one_batch(
    client_as, personas, overdue_letter
):
    first, second = overdue_letter(), overdue_letter()

    response = client_as("team_lead").post(
        URL, {"selected": [first.pk, second.pk], "assignee": "agent"}, follow=True
    )

    assert "2 enquiries are now assigned to" in response.content.decode()
    events = EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.ASSIGNED)
    assert {e.enquiry_id for e in events} == {first.pk, second.pk}
    assert len({e.batch for e in events}) == 1


def test_one_enquiry_the_person_may_not_take_stops_the_whole_batch(
    client_as, taxonomy, personas, policies, overdue_letter
):
    letter_team = TeamFactory(name="Brevkontoret")
    ministry = taxonomy["ministry"]
    ministry.team = letter_team
    ministry.save()
    support_letter = overdue_letter()
    ministry_letter = services.register_enquiry(
        ministry,
        by=personas["admin"],
        channel="letter",
        subject="Brev",
        received_at=timezone.now() - datetime.timedelta(days=30),
    )

    response = client_as("admin").post(
        URL, {"selected": [support_letter.pk, ministry_letter.pk], "assignee": "agent"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f"{ministry_letter.reference}: " in html
    assert "cannot be given enquiries of the queue" in html
    assert not Enquiry.objects.filter(assignee__isnull=False).exists()
    # The ticks survive the error.
    ticked = f'id="select-{support_letter.pk}" form="reassign-form" checked'
    assert ticked in html


def test_no_row_carries_a_select_of_people(client_as, personas, support_team, overdue_letter):
    for _ in range(3):
        overdue_letter()
    for n in range(30):
        UserFactory(username=f"floor{n:02d}", role="support_agent", team=support_team)

    html = client_as("team_lead").get(URL).content.decode()

    assert "<select" not in html
    assert "floor0" not in html
    assert html.count('name="assignee"') == 1
