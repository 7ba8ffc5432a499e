import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import Action, ActionEvent, Kpi, KpiReading
from enquiries.models import Category
from tests.factories import (
    ActionFactory,
    KpiFactory,
    KpiReadingFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.permissions import LOGIN, answer, cases_by_role

Status = Action.Status


def url(name: str, action: Action | None = None, kpi: Kpi | None = None) -> str:
    if kpi is not None:
        return reverse(f"actions:{name}", args=[action.pk, kpi.pk])
    if action is not None:
        return reverse(f"actions:{name}", args=[action.pk])
    return reverse(f"actions:{name}")


# Every page, and who may open it: support staff read the actions on their
# queues' topics; only the secretariat and administrators change them.
# fmt: off
#   page           per action  agent lead secr  mgr admin anon
PAGES = [
    ("list",         False,     200, 200, 200, 200, 200, LOGIN),
    ("follow-up",    False,     200, 200, 200, 200, 200, LOGIN),
    ("owed",         False,     200, 200, 200, 200, 200, LOGIN),
    ("detail",       True,      200, 200, 200, 200, 200, LOGIN),
    ("create",       False,     403, 403, 200, 403, 200, LOGIN),
    ("due-preview",  False,     403, 403, 200, 403, 200, LOGIN),
    ("edit",         True,      403, 403, 200, 403, 200, LOGIN),
    ("status",       True,      403, 403, 200, 403, 200, LOGIN),
    ("add-update",   True,      403, 403, 200, 403, 200, LOGIN),
    ("add-kpi",      True,      403, 403, 200, 403, 200, LOGIN),
    ("add-reading",  True,      403, 403, 200, 403, 200, LOGIN),
]
# fmt: on


@pytest.mark.parametrize(("name", "per_action", "role", "expected"), cases_by_role(PAGES))
def test_page_permissions_by_role(client_as, support_action, name, per_action, role, expected):
    kpi = KpiFactory(action=support_action) if name == "add-reading" else None
    address = url(name, support_action if per_action else None, kpi)

    assert answer(client_as(role).get(address)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("agent", 404), ("team_lead", 404), ("secretariat", 200), ("manager", 200), ("admin", 200)],
)
def test_an_action_outside_the_teams_topics_is_not_found_for_support_staff(
    client_as, ministry_action, role, expected
):
    response = client_as(role).get(url("detail", ministry_action))

    assert response.status_code == expected


@pytest.mark.parametrize("name", [page[0] for page in PAGES if page[0] != "add-reading"])
def test_a_user_without_a_role_may_open_no_action_page(client, support_action, name):
    per_action = {page[0]: page[1] for page in PAGES}[name]
    client.force_login(UserFactory(username="nobody"))

    response = client.get(url(name, support_action if per_action else None))

    assert response.status_code == 403


# fmt: off
#   form           agent lead secr  mgr admin anon
CHANGES = [
    ("edit",         403, 403, 302, 403, 302, LOGIN),
    ("status",       403, 403, 302, 403, 302, LOGIN),
    ("add-update",   403, 403, 302, 403, 302, LOGIN),
    ("add-kpi",      403, 403, 302, 403, 302, LOGIN),
    ("add-reading",  403, 403, 302, 403, 302, LOGIN),
]
# fmt: on


@pytest.mark.parametrize(("name", "role", "expected"), cases_by_role(CHANGES))
def test_posting_changes_is_for_the_secretariat_and_administrators(
    client_as, support_action, name, role, expected
):
    kpi = KpiFactory(action=support_action)
    data = {
        "edit": {
            "title": "Ny titel",
            "theme": support_action.theme_id,
            "owner": support_action.owner_id,
            "version": support_action.version,
        },
        "status": {"status": Status.IN_PROGRESS},
        "add-update": {"text": "Fremdrift", "written_on": "2010-11-26"},
        "add-kpi": {"metric": "Telefonlinjer", "baseline": "60"},
        "add-reading": {"measured_on": "2010-11-26", "value": "120"},
    }[name]

    address = url(name, support_action, kpi if name == "add-reading" else None)
    response = client_as(role).post(address, data)

    assert answer(response) == expected
    changed = ActionEvent.objects.filter(action=support_action).exists()
    assert changed == (role in ("secretariat", "admin"))


# Creating an action, by POST: who may.
# fmt: off
#   page      agent lead secr  mgr admin anon
CREATES = [
    ("create",  403, 403, 302, 403, 302, LOGIN),
]
# fmt: on


@pytest.mark.parametrize(("name", "role", "expected"), cases_by_role(CREATES))
def test_creating_actions_is_for_the_secretariat_and_administrators(
    client_as, danid, theme, name, role, expected
):
    data = {
        "title": "Flere telefonlinjer",
        "theme": theme.pk,
        "owner": danid.pk,
        "status": Status.PROPOSED,
        "due_phrase": "primo 2011",
    }

    response = client_as(role).post(url(name), data)

    assert answer(response) == expected
    assert Action.objects.filter(title="Flere telefonlinjer").exists() == (expected == 302)


def test_list_is_sorted_by_the_end_of_the_due_range_with_undated_last(client_as, danid, theme):
    late = ActionFactory(title="Sent", owner=danid, theme=theme)
    undated = ActionFactory(title="Snarest", owner=danid, theme=theme, asap=True)
    early = ActionFactory(title="Tidligt", owner=danid, theme=theme, overdue=True)

    response = client_as("manager").get(url("list"))

    assert list(response.context["actions"]) == [early, late, undated]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("owner=itst", {"ITST-handling"}),
        ("theme=log-out", {"ITST-handling"}),
        ("status=done", {"Færdig"}),
        ("status=done&status=proposed", {"Færdig", "Snarest"}),
        ("due=primo+2011", {"ITST-handling"}),
        ("due=2030", {"Færdig"}),
        ("due_after=2011-01-01&due_before=2011-01-31", {"ITST-handling"}),
        ("overdue=true", {"Forsinket", "ITST-handling"}),
        ("overdue=false", {"Færdig", "Snarest"}),
        ("asap=true", {"Snarest"}),
        ("is_open=false", {"Færdig"}),
        ("origin=topic", {"Forsinket"}),
        ("origin=recommendation", {"ITST-handling"}),
        ("origin=action", {"Snarest"}),
        ("q=snarest", {"Snarest"}),
        ("ordering=-due", {"Færdig", "ITST-handling", "Forsinket", "Snarest"}),
    ],
)
def test_list_filters(client_as, danid, theme, support_topic, query, expected):
    itst = OrganisationFactory(code="itst", name="IT- og Telestyrelsen")
    logout = ThemeFactory(code="log-out")
    recommendation = RecommendationFactory()
    ActionFactory(title="Færdig", owner=danid, theme=theme, status=Status.DONE)
    itst_action = ActionFactory(
        title="ITST-handling",
        owner=itst,
        theme=logout,
        due_phrase="medio januar 2011",
        due_start=datetime.date(2011, 1, 11),
        due_end=datetime.date(2011, 1, 20),
    )
    itst_action.origin_recommendations.set([recommendation])
    late = ActionFactory(
        title="Forsinket", owner=danid, theme=theme, overdue=True, topics=[support_topic]
    )
    ActionFactory(
        title="Snarest",
        owner=danid,
        theme=theme,
        asap=True,
        follows_up=late,
        status=Status.PROPOSED,
    )

    response = client_as("secretariat").get(f"{url('list')}?{query}")

    assert response.status_code == 200
    assert {a.title for a in response.context["actions"]} == expected


def test_list_filters_by_a_recommendation_meeting_topic_or_category_id(
    client_as, danid, theme, support_topic
):
    recommendation = RecommendationFactory()
    meeting = MeetingFactory()
    category = Category.objects.filter(topic=support_topic).first()
    action = ActionFactory(owner=danid, theme=theme, topics=[support_topic])
    action.origin_recommendations.set([recommendation])
    action.origin_meetings.set([meeting])
    action.origin_categories.set([category])
    ActionFactory(owner=danid, theme=theme)
    client = client_as("secretariat")

    for query in (
        f"recommendation={recommendation.pk}",
        f"meeting={meeting.pk}",
        f"topic={support_topic.pk}",
        f"category={category.pk}",
    ):
        response = client.get(f"{url('list')}?{query}")
        assert list(response.context["actions"]) == [action], query
        assert f'type="hidden" name="{query.split("=")[0]}"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "due=snart",
        "due_after=2011-13-45",
        "owner=nobody",
        "status=finished",
        "topic=abc",
        "topic=99999999999999999999999",
        "ordering=sideways",
        "q=" + "x" * 500,
        "overdue=banana",
        "is_open=maybe",
        "asap=2",
        "follows_up=1.5",
    ],
)
def test_list_with_a_bad_filter_shows_the_error_and_no_rows(client_as, support_action, query):
    response = client_as("secretariat").get(f"{url('list')}?{query}")

    assert response.status_code == 200
    assert response.context["filterset"].errors
    assert list(response.context["actions"]) == []


def test_list_with_an_unreadable_due_filter_lists_the_accepted_forms(client_as, support_action):
    response = client_as("secretariat").get(f"{url('list')}?due=snart")

    assert "a week (week 47 2010)" in response.content.decode()


def test_a_nul_byte_in_a_filter_is_a_400_not_a_500(client_as, support_action):
    response = client_as("secretariat").get(f"{url('list')}?q=a%00b")

    assert response.status_code == 400


def test_follow_up_shows_overdue_due_within_14_days_and_asap_but_not_later_or_finished(
    client_as, danid, theme
):
    overdue = ActionFactory(title="Forsinket", owner=danid, theme=theme, overdue=True)
    soon = ActionFactory(title="Snart", owner=danid, theme=theme, due_soon=True)
    asap = ActionFactory(title="Snarest", owner=danid, theme=theme, asap=True)
    ActionFactory(title="Senere", owner=danid, theme=theme)
    ActionFactory(title="Færdig", owner=danid, theme=theme, overdue=True, status=Status.DONE)
    ActionFactory(
        title="Om 15 dage",
        owner=danid,
        theme=theme,
        due_end=timezone.localdate() + datetime.timedelta(days=15),
        due_start=timezone.localdate(),
    )

    response = client_as("secretariat").get(url("follow-up"))

    sections = {slug: rows for _, slug, rows in response.context["sections"]}
    assert sections == {"overdue": [overdue], "due-soon": [soon], "asap": [asap]}


def test_follow_up_filters_by_owner(client_as, danid, theme):
    itst = OrganisationFactory(code="itst", name="ITST")
    ActionFactory(owner=danid, theme=theme, overdue=True)
    mine = ActionFactory(owner=itst, theme=theme, overdue=True)

    response = client_as("secretariat").get(f"{url('follow-up')}?owner=itst")

    assert response.context["sections"][0][2] == [mine]


def test_owed_counts_open_actions_per_organisation_in_the_database(client_as, danid, theme):
    itst = OrganisationFactory(code="itst", name="IT- og Telestyrelsen")
    ActionFactory(owner=danid, theme=theme, overdue=True)
    ActionFactory(owner=danid, theme=theme, due_soon=True)
    ActionFactory(owner=danid, theme=theme, asap=True)
    ActionFactory(owner=danid, theme=theme, status=Status.DONE)
    ActionFactory(owner=itst, theme=theme)

    response = client_as("manager").get(url("owed"))

    rows = {row["owner__code"]: row for row in response.context["summary"]}
    assert rows["danid"]["open_count"] == 3
    assert rows["danid"]["overdue_count"] == 1
    assert rows["danid"]["due_soon_count"] == 1
    assert rows["danid"]["asap_count"] == 1
    assert rows["itst"]["open_count"] == 1
    assert len(response.context["actions"]) == 4


def test_owed_counts_an_action_with_two_topics_once_for_support_staff(
    client_as, danid, theme, support_topic
):
    other = support_topic.queue.topics.exclude(pk=support_topic.pk).first()
    ActionFactory(owner=danid, theme=theme, topics=[support_topic, other])

    response = client_as("agent").get(url("owed"))

    assert [row["open_count"] for row in response.context["summary"]] == [1]


def test_detail_shows_the_timeline_updates_and_each_kpi_as_chart_with_its_table(
    client_as, support_action, personas
):
    kpi = KpiFactory(action=support_action, metric="Medarbejdere i supporten", baseline=60)
    KpiReadingFactory(kpi=kpi, measured_on=datetime.date(2010, 7, 1), value=60)
    KpiReadingFactory(kpi=kpi, measured_on=datetime.date(2010, 11, 1), value=270)
    ActionEvent.objects.create(
        action=support_action,
        kind=ActionEvent.Kind.STATUS,
        actor=personas["secretariat"],
        old_value="planned",
        new_value="in_progress",
    )

    response = client_as("agent").get(url("detail", support_action))

    html = response.content.decode()
    assert '<script id="kpi-data" type="application/json">' in html
    data = response.context["kpi_charts"]
    assert data[0]["values"] == [60.0, 270.0]
    assert data[0]["labels"] == ["2010-07-01", "2010-11-01"]
    assert "<caption>Readings of Medarbejdere i supporten</caption>" in html
    assert 'role="img"' in html
    assert "Planned → In progress" in html
    assert "chart-4.6.1.umd.min.js" in html
    assert "Change status" not in html  # an agent reads only


def test_detail_shows_the_chain_of_an_insufficient_action_both_ways(client_as, danid, theme):
    fix = ActionFactory(
        title="Printrækkefølge", owner=danid, theme=theme, status=Status.INSUFFICIENT
    )
    alternative = ActionFactory(
        title="Alternativ løsning", owner=danid, theme=theme, follows_up=fix
    )
    client = client_as("secretariat")

    earlier_page = client.get(url("detail", fix)).content.decode()
    later_page = client.get(url("detail", alternative)).content.decode()

    assert "Followed up by" in earlier_page
    assert f'href="{alternative.get_absolute_url()}"' in earlier_page
    assert "This action follows up on" in later_page
    assert f'href="{fix.get_absolute_url()}"' in later_page


@pytest.mark.parametrize("pk", [999999, 99999999999999999999999])
def test_an_unknown_action_is_a_404(client_as, support_action, pk):
    response = client_as("secretariat").get(f"/actions/{pk}/")

    assert response.status_code == 404


def test_create_prefills_the_origin_from_an_enquiry_topic(client_as, support_topic):
    response = client_as("secretariat").get(f"{url('create')}?topic={support_topic.pk}")

    form = response.context["form"]
    assert form.initial["origin_topics"] == [support_topic]
    assert "Enquiry topic: Activation of NemID" in response.context["sources"][0]
    assert f'<option value="{support_topic.pk}" selected>' in response.content.decode()


def test_create_prefills_from_a_category_recommendation_meeting_and_earlier_action(
    client_as, support_topic, support_action
):
    category = Category.objects.filter(topic=support_topic).first()
    meeting = MeetingFactory()
    recommendation = RecommendationFactory(meeting=meeting)
    query = (
        f"category={category.pk}&recommendation={recommendation.pk}&follows_up={support_action.pk}"
    )

    response = client_as("secretariat").get(f"{url('create')}?{query}")

    initial = response.context["form"].initial
    assert initial["origin_categories"] == [category]
    assert initial["origin_topics"] == [support_topic]
    assert initial["origin_recommendations"] == [recommendation]
    assert initial["origin_meetings"] == [meeting]
    assert initial["follows_up"] == support_action
    assert initial["owner"] == support_action.owner_id
    assert len(response.context["sources"]) == 3


@pytest.mark.parametrize(
    "query",
    ["topic=abc", "topic=0", "meeting=99999", "follows_up=-1", "recommendation=" + "9" * 30],
)
def test_create_ignores_prefill_ids_that_do_not_exist(client_as, query):
    response = client_as("secretariat").get(f"{url('create')}?{query}")

    assert response.status_code == 200
    assert response.context["sources"] == []


def _create_data(danid, theme, /, **extra):
    return {
        "title": "Pjece til ældre",
        "description": "Via Ældre Sagen Nu",
        "theme": theme.pk,
        "owner": danid.pk,
        "status": Status.PLANNED,
        "due_phrase": "foråret 2011",
        **extra,
    }


def test_create_saves_the_action_and_shows_the_parsed_range(client_as, danid, theme, support_topic):
    client = client_as("secretariat")

    response = client.post(
        url("create"), _create_data(danid, theme, origin_topics=[support_topic.pk])
    )

    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    assert (action.due_start, action.due_end) == (
        datetime.date(2011, 3, 1),
        datetime.date(2011, 5, 31),
    )
    assert list(action.origin_topics.all()) == [support_topic]
    page = client.get(action.get_absolute_url()).content.decode()
    assert "foråret 2011" in page
    assert "(season)" in page


def test_create_with_an_unreadable_due_phrase_keeps_the_input_and_lists_the_forms(
    client_as, danid, theme
):
    response = client_as("secretariat").post(
        url("create"), _create_data(danid, theme, due_phrase="engang til foråret")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors["due_phrase"]
    assert "a quarter (Q1 2011)" in html
    assert 'value="engang til foråret"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_due_phrase_helptext id_due_phrase_error"' in html
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 201),
        ("title", "a\x00b"),
        ("description", "y" * 20001),
        ("due_phrase", "z" * 101),
        ("theme", "999999"),
        ("owner", "not-a-number"),
        ("origin_topics", "123456789"),
        ("status", Status.INSUFFICIENT),
    ],
)
def test_create_with_bad_input_rerenders_naming_the_field_and_saves_nothing(
    client_as, danid, theme, field, value
):
    response = client_as("secretariat").post(
        url("create"), _create_data(danid, theme, **{field: value})
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Action.objects.exists()


def test_due_preview_shows_the_range_or_the_accepted_forms(client_as):
    client = client_as("secretariat")

    good = client.get(f"{url('due-preview')}?due_phrase=medio+januar+2011").content.decode()
    asap = client.get(f"{url('due-preview')}?due_phrase=snarest+muligt").content.decode()
    bad = client.get(f"{url('due-preview')}?due_phrase=snart").content.decode()

    start = date_format(datetime.date(2011, 1, 11), "DATE_FORMAT")
    end = date_format(datetime.date(2011, 1, 20), "DATE_FORMAT")
    assert f"{start} – {end}" in good
    assert "as soon as possible" in asap
    assert "a year (2011)" in bad
    assert "No year was given" not in good


def test_due_preview_says_when_no_year_was_given_and_which_it_took(client_as):
    client = client_as("secretariat")
    today = datetime.date.today()
    year = today.year if today <= datetime.date(today.year, 1, 20) else today.year + 1

    preview = client.get(url("due-preview"), {"due_phrase": "medio januar"}).content.decode()

    assert f"No year was given, so the next one is taken: {year}." in preview
    start = date_format(datetime.date(year, 1, 11), "DATE_FORMAT")
    assert start in preview


def test_the_action_form_shows_the_year_it_took_before_saving(client_as, danid, theme):
    response = client_as("secretariat").post(
        url("create"), {"title": "Ny vejledning", "due_phrase": "medio januar"}
    )

    assert response.status_code == 400
    assert "No year was given" in response.content.decode()


def test_edit_changes_fields_and_writes_the_timeline(client_as, support_action, danid, theme):
    response = client_as("secretariat").post(
        url("edit", support_action),
        {
            "title": "Flere medarbejdere",
            "theme": theme.pk,
            "owner": danid.pk,
            "due_phrase": "ultimo november 2010",
            "origin_topics": [t.pk for t in support_action.origin_topics.all()],
            "version": support_action.version,
        },
    )

    assert response.status_code == 302
    support_action.refresh_from_db()
    assert support_action.title == "Flere medarbejdere"
    assert support_action.due_end == datetime.date(2010, 11, 30)
    kinds = set(support_action.events.values_list("kind", flat=True))
    assert kinds == {ActionEvent.Kind.DUE, ActionEvent.Kind.FIELD}


def test_marking_insufficient_without_a_follow_up_rerenders_with_the_error(
    client_as, support_action
):
    response = client_as("secretariat").post(
        url("status", support_action), {"status": Status.INSUFFICIENT}
    )

    assert response.status_code == 400
    assert "needs a follow-up action" in response.content.decode()
    support_action.refresh_from_db()
    assert support_action.status == Status.PLANNED


def test_marking_insufficient_with_a_new_follow_up_links_both(client_as, support_action):
    response = client_as("secretariat").post(
        url("status", support_action),
        {
            "status": Status.INSUFFICIENT,
            "note": "Ikke tilstrækkeligt",
            "follow_up_title": "Alternativ løsning",
            "follow_up_due_phrase": "medio januar 2011",
        },
    )

    assert response.status_code == 302
    support_action.refresh_from_db()
    follow_up = support_action.follow_ups.get()
    assert support_action.status == Status.INSUFFICIENT
    assert follow_up.title == "Alternativ løsning"
    assert follow_up.due_phrase == "medio januar 2011"


def test_marking_insufficient_with_a_bad_follow_up_due_names_that_field(client_as, support_action):
    response = client_as("secretariat").post(
        url("status", support_action),
        {
            "status": Status.INSUFFICIENT,
            "follow_up_title": "Alternativ løsning",
            "follow_up_due_phrase": "snart",
        },
    )

    assert response.status_code == 400
    assert "follow_up_due_phrase" in response.context["form"].errors
    assert Action.objects.count() == 1


def test_status_form_offers_only_the_allowed_transitions(client_as, support_action):
    response = client_as("secretariat").get(url("status", support_action))

    choices = [value for value, _ in response.context["form"].fields["status"].choices]
    assert choices == ["proposed", "in_progress", "done", "insufficient", "cancelled"]


def test_adding_a_kpi_and_a_reading_through_the_pages(client_as, support_action):
    client = client_as("secretariat")

    client.post(
        url("add-kpi", support_action),
        {"metric": "Telefonlinjer", "baseline": "60", "target": "120"},
    )
    kpi = support_action.kpis.get()
    response = client.post(
        url("add-reading", support_action, kpi), {"measured_on": "2010-11-01", "value": "120"}
    )
    duplicate = client.post(
        url("add-reading", support_action, kpi), {"measured_on": "2010-11-01", "value": "121"}
    )

    assert response.status_code == 302
    assert duplicate.status_code == 400
    assert "measured_on" in duplicate.context["form"].errors
    assert KpiReading.objects.get().value == 120


@pytest.mark.parametrize(
    "data",
    [
        {"measured_on": "2010-13-01", "value": "1"},
        {"measured_on": "2010-11-01", "value": "abc"},
        {"measured_on": "2010-11-01", "value": "1" * 20},
        {"measured_on": "2010-11-01", "value": "1", "note": "x" * 301},
        {"measured_on": "2010-11-01", "value": "1", "note": "a\x00b"},
    ],
)
def test_a_bad_reading_rerenders_and_saves_nothing(client_as, support_action, data):
    kpi = KpiFactory(action=support_action)

    response = client_as("secretariat").post(url("add-reading", support_action, kpi), data)

    assert response.status_code == 400
    assert not KpiReading.objects.exists()


def test_a_reading_for_a_kpi_of_another_action_is_a_404(client_as, support_action, ministry_action):
    other_kpi = KpiFactory(action=ministry_action)

    response = client_as("secretariat").get(url("add-reading", support_action, other_kpi))

    assert response.status_code == 404


def test_a_progress_update_with_a_nul_byte_rerenders_with_an_error(client_as, support_action):
    response = client_as("secretariat").post(
        url("add-update", support_action), {"text": "a\x00b", "written_on": "2010-11-26"}
    )

    assert response.status_code == 400
    assert "text" in response.context["form"].errors


def _make_rows(count, danid, theme, support_topic) -> list[Action]:
    rows = []
    for i in range(count):
        action = ActionFactory(
            owner=danid,
            theme=theme,
            topics=[support_topic],
            overdue=i % 3 == 0,
            asap=i % 3 == 1,
            due_soon=i % 3 == 2,
            follows_up=None,
        )
        action.origin_recommendations.set([RecommendationFactory(topics=[support_topic])])
        action.origin_meetings.set([MeetingFactory()])
        rows.append(action)
    return rows


@pytest.mark.parametrize("name", ["list", "follow-up", "owed"])
@pytest.mark.parametrize("role", ["agent", "secretariat"])
def test_list_pages_use_the_same_number_of_queries_for_1_and_25_rows(
    client_as, danid, theme, support_topic, django_assert_num_queries, name, role
):
    client = client_as(role)
    _make_rows(1, danid, theme, support_topic)
    client.get(url(name))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url(name)).status_code == 200
    last = _make_rows(24, danid, theme, support_topic)[-1]

    with django_assert_num_queries(len(one_row)):
        response = client.get(url(name))

    assert Action.objects.count() == 25
    assert last.title in response.content.decode()


def test_the_list_shows_json_safe_chart_data_only_on_the_detail_page(client_as, support_action):
    kpi = KpiFactory(action=support_action, metric="</script><script>alert(1)</script>")
    KpiReadingFactory(kpi=kpi)

    html = client_as("secretariat").get(url("detail", support_action)).content.decode()

    start = html.index('<script id="kpi-data" type="application/json">') + len(
        '<script id="kpi-data" type="application/json">'
    )
    payload = html[start : html.index("</script>", start)]
    assert json.loads(payload)[0]["metric"] == "</script><script>alert(1)</script>"


def test_the_detail_page_uses_the_same_number_of_queries_for_1_and_25_entries(
    client_as, support_action, personas, django_assert_num_queries
):
    client = client_as("secretariat")
    address = url("detail", support_action)

    def make(count):
        for _ in range(count):
            support_action.updates.create(text="Fremdrift", author=personas["secretariat"])
            KpiReadingFactory(kpi=KpiFactory(action=support_action))
            support_action.events.create(kind="update", actor=personas["secretariat"])
            ActionFactory(owner=support_action.owner, follows_up=support_action)

    make(1)
    client.get(address)
    with CaptureQueriesContext(connection) as one_entry:
        client.get(address)
    make(24)

    with django_assert_num_queries(len(one_entry)):
        response = client.get(address)

    assert len(response.context["kpis"]) == 25
    assert len(response.context["follow_ups"]) == 25
