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
