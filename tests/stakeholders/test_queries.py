"""Every list, page and API, runs the same number of queries for 1 row and 25."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Theme
from enquiries.models import Topic
from stakeholders import services
from tests.factories import (
    ContactFactory,
    FollowUpFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.stakeholders import files


def _row(n: int, *, by) -> None:
    """One of everything, richly linked, so a missing prefetch shows."""
    org, other = OrganisationFactory(), OrganisationFactory()
    contact = ContactFactory(organisation=org, user=UserFactory())
    group = WorkingGroupFactory(members=[org, other])
    meeting = MeetingFactory(organisations=[org, other], working_group=group)
    meeting.attendees.add(contact)
    services.add_attachment(meeting, upload=files.upload(f"{n}.pdf", files.PDF), by=by)
    topics = list(Topic.objects.filter(queue__code="support")[:2])
    rec = RecommendationFactory(organisation=org, meeting=meeting, topics=topics)
    services.respond_to_recommendation(rec, status="accepted", response="Ja.", rationale="", by=by)
    RecommendationFactory(organisation=other, topics=topics)  # undecided
    theme, _ = Theme.objects.get_or_create(code="support", defaults={"name_da": "Support"})
    action = Action.objects.create(title=f"Handling {n}", theme=theme, owner=org)
    action.origin_recommendations.add(rec)
    action.origin_meetings.add(meeting)
    FollowUpFactory(
        waiting_organisation=other,
        awaited_organisation=org,
        awaited_contact=contact,
        waiting_user=by,
        meeting=meeting,
        recommendation=rec,
        expected_on=datetime.date(2010, 12, 1),
    )


LISTS = [
    ("secretariat", "stakeholders:overview"),
    ("secretariat", "stakeholders:organisation-list"),
    ("secretariat", "stakeholders:contact-list"),
    ("secretariat", "stakeholders:workinggroup-list"),
    ("secretariat", "stakeholders:meeting-list"),
    ("secretariat", "stakeholders:recommendation-list"),
    ("agent", "stakeholders:recommendation-list"),
    ("secretariat", "stakeholders:followup-list"),
    ("manager", "api:organisation-list"),
    ("manager", "api:contact-list"),
    ("manager", "api:workinggroup-list"),
    ("manager", "api:meeting-list"),
    ("manager", "api:recommendation-list"),
    ("agent", "api:recommendation-list"),
    ("manager", "api:followup-list"),
]


def _count(client, url: str) -> int:
    """The page's queries once the user's permissions are kept (accounts.access)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [pytest.param(persona, name, id=f"{persona}-{name}") for persona, name in LISTS],
)
def test_list_runs_the_same_queries_for_1_and_25_rows(
    client_as, personas, django_assert_num_queries, persona, url_name
):
    client, url = client_as(persona), reverse(url_name)
    _row(0, by=personas["secretariat"])
    one_row = _count(client, url)
    for n in range(1, 25):
        _row(n, by=personas["secretariat"])

    with django_assert_num_queries(one_row):
        response = client.get(url)

    assert response.status_code == 200


def _around(org, meeting, group, *, n: int, by) -> None:
    """n more of everything an organisation, meeting or group page lists."""
    theme, _ = Theme.objects.get_or_create(code="support", defaults={"name_da": "Support"})
    topics = list(Topic.objects.filter(queue__code="support")[:2])
    other = OrganisationFactory()
    group.members.add(other)
    contact = ContactFactory(organisation=org, user=UserFactory())
    meeting.attendees.add(contact)
    meeting.organisations.add(other)
    services.add_attachment(meeting, upload=files.upload(f"{n}.pdf", files.PDF), by=by)
    MeetingFactory(organisations=[org, other], working_group=group)
    rec = RecommendationFactory(organisation=org, meeting=meeting, topics=topics)
    action = Action.objects.create(title=f"Handling {n}", theme=theme, owner=org)
    action.origin_recommendations.add(rec)
    action.origin_meetings.add(meeting)
    Action.objects.create(title=f"Opfølgning {n}", theme=theme, owner=other, follows_up=action)
    first = meeting.recommendations.order_by("pk").first()
    Action.objects.create(
        title=f"Fra første {n}", theme=theme, owner=other
    ).origin_recommendations.add(first)
    for waiting, awaited in ((other, org), (org, other)):
        FollowUpFactory(
            waiting_organisation=waiting,
            awaited_organisation=awaited,
            waiting_user=by,
            meeting=meeting,
            recommendation=rec,
            expected_on=datetime.date(2010, 12, 1),
        )


@pytest.mark.parametrize("persona", ["secretariat", "manager"])
@pytest.mark.parametrize(
    "page",
    ["organisation-detail", "meeting-detail", "workinggroup-detail", "recommendation-detail"],
)
def test_detail_page_runs_the_same_queries_for_1_and_25_listed_rows(
    client_as, personas, taxonomy, django_assert_num_queries, persona, page
):
    by = personas["secretariat"]
    org = OrganisationFactory()
    group = WorkingGroupFactory(members=[org])
    meeting = MeetingFactory(organisations=[org], working_group=group)
    _around(org, meeting, group, n=0, by=by)
    pk = {
        "organisation-detail": org.pk,
        "meeting-detail": meeting.pk,
        "workinggroup-detail": group.pk,
        "recommendation-detail": meeting.recommendations.order_by("pk").first().pk,
    }[page]
    client, url = client_as(persona), reverse(f"stakeholders:{page}", args=[pk])
    one_row = _count(client, url)
    for n in range(1, 25):
        _around(org, meeting, group, n=n, by=by)

    with django_assert_num_queries(one_row):
        response = client.get(url)

    assert response.status_code == 200
    shown = {
        "organisation-detail": "Handling 24",
        "meeting-detail": "Handling 24",
        "workinggroup-detail": group.meetings.order_by("pk").last().title,
        "recommendation-detail": "Fra første 24",
    }[page]
    assert shown in response.content.decode()
