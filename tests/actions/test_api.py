import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Action, ActionEvent, KpiReading
from tests.etags import if_match, patch_json
from tests.factories import (
    ActionFactory,
    KpiFactory,
    KpiReadingFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.permissions import answer, cases_by_role

Status = Action.Status

BODIES = {
    "action": {"title": "Ny", "theme": "support", "owner": "danid"},
    "title": {"title": "Ny titel"},
    "status": {"status": "in_progress"},
    "update": {"text": "Fremdrift"},
    "kpi": {"metric": "Linjer", "baseline": "60"},
    "reading": {"measured_on": "2010-11-01", "value": "120"},
}

# Every API route, and what each role gets back: support staff read the
# actions on their queues' topics, the secretariat and administrators write.
# fmt: off
#   method  path                                  body      agent lead secr mgr admin anon
ROUTES = [
    ("get",   "/api/v1/actions/",                  None,     200, 200, 200, 200, 200, 401),
    ("get",   "/api/v1/actions/{action}/",         None,     200, 200, 200, 200, 200, 401),
    ("get",   "/api/v1/actions/{action}/updates/", None,     200, 200, 200, 200, 200, 401),
    ("get",   "/api/v1/actions/{action}/kpis/",    None,     200, 200, 200, 200, 200, 401),
    ("get",   "/api/v1/actions/{action}/timeline/", None,    200, 200, 200, 200, 200, 401),
    ("get",   "/api/v1/themes/",                   None,     200, 200, 200, 200, 200, 401),
    ("get",   "/api/v1/themes/{theme}/",           None,     200, 200, 200, 200, 200, 401),
    ("post",  "/api/v1/actions/",                  "action", 403, 403, 201, 403, 201, 401),
    ("patch", "/api/v1/actions/{action}/",         "title",  403, 403, 200, 403, 200, 401),
    ("post",  "/api/v1/actions/{action}/status/",  "status", 403, 403, 200, 403, 200, 401),
    ("post",  "/api/v1/actions/{action}/updates/", "update", 403, 403, 201, 403, 201, 401),
    ("post",  "/api/v1/actions/{action}/kpis/",    "kpi",    403, 403, 201, 403, 201, 401),
    ("post",  "/api/v1/actions/{action}/kpis/{kpi}/readings/",
                                                   "reading", 403, 403, 201, 403, 201, 401),
]
# fmt: on


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(ROUTES))
def test_api_permissions_by_role(client_as, support_action, method, path, body, role, expected):
    kpi = KpiFactory(action=support_action)
    address = path.format(action=support_action.pk, theme=support_action.theme_id, kpi=kpi.pk)

    client = client_as(role)
    headers = if_match(client, address) if method == "patch" else {}
    response = getattr(client, method)(
        address, BODIES.get(body), content_type="application/json", headers=headers
    )

    assert answer(response) == expected, response.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [("agent", 404), ("team_lead", 404), ("secretariat", 200), ("manager", 200), ("admin", 200)],
)
def test_api_hides_actions_outside_the_teams_topics(client_as, ministry_action, role, expected):
    response = client_as(role).get(f"/api/v1/actions/{ministry_action.pk}/")

    assert response.status_code == expected


def test_api_gives_nothing_to_a_user_without_a_role(client, support_action):
    client.force_login(UserFactory(username="nobody"))

    assert client.get("/api/v1/actions/").status_code == 403
    assert client.get("/api/v1/themes/").status_code == 403


def test_api_list_nests_progress_updates_and_kpis_with_readings(client_as, support_action):
    kpi = KpiFactory(action=support_action, baseline=60, target=270)
    KpiReadingFactory(kpi=kpi, measured_on=datetime.date(2010, 7, 1), value=60)
    KpiReadingFactory(kpi=kpi, measured_on=datetime.date(2010, 11, 1), value=270)

    response = client_as("agent").get("/api/v1/actions/")

    row = response.json()["results"][0]
    assert row["owner"] == "danid"
    assert row["theme"] == "support"
    assert row["due_phrase"] == "2030"
    assert row["due_end"] == "2030-12-31"
    assert row["is_overdue"] is False
    assert row["kpis"][0]["baseline"] == "60.00"
    assert [r["value"] for r in row["kpis"][0]["readings"]] == ["60.00", "270.00"]
    assert row["origin_topics"] == [t.pk for t in support_action.origin_topics.all()]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("overdue=true", {"Forsinket", "Uge 47"}),
        ("asap=true", {"Snarest"}),
        ("due=uge+47+2010", {"Uge 47"}),
        ("status=done", set()),
        ("owner=danid&ordering=title", {"Forsinket", "Snarest", "Uge 47"}),
    ],
)
def test_api_list_takes_the_same_filters_as_the_page(client_as, danid, theme, query, titles):
    ActionFactory(title="Forsinket", owner=danid, theme=theme, overdue=True)
    ActionFactory(title="Snarest", owner=danid, theme=theme, asap=True)
    ActionFactory(
        title="Uge 47",
        owner=danid,
        theme=theme,
        due_phrase="uge 47 2010",
        due_start=datetime.date(2010, 11, 22),
        due_end=datetime.date(2010, 11, 28),
        status=Status.IN_PROGRESS,
    )

    response = client_as("manager").get(f"/api/v1/actions/?{query}")

    assert {row["title"] for row in response.json()["results"]} == titles


def test_api_runs_the_secretariats_follow_up_like_the_page(client_as, danid, theme):
    ActionFactory(title="Forsinket", owner=danid, theme=theme, overdue=True)
    ActionFactory(title="Snart", owner=danid, theme=theme, due_soon=True)
    ActionFactory(title="Snarest", owner=danid, theme=theme, asap=True)
    ActionFactory(title="Senere", owner=danid, theme=theme)
    ActionFactory(title="Færdig", owner=danid, theme=theme, overdue=True, status=Status.DONE)
    today = timezone.localdate()
    ActionFactory(
        title="Om 15 dage",
        owner=danid,
        theme=theme,
        due_start=today,
        due_end=today + datetime.timedelta(days=15),
    )
    client = client_as("secretariat")

    due = client.get("/api/v1/actions/?due_for_follow_up=true").json()["results"]
    rest = client.get("/api/v1/actions/?due_for_follow_up=false").json()["results"]
    page = client.get("/actions/follow-up/").context["sections"]

    assert {row["title"] for row in due} == {"Forsinket", "Snart", "Snarest"}
    assert {a.title for _, _, rows in page for a in rows} == {row["title"] for row in due}
    assert {row["title"] for row in rest} == {"Senere", "Færdig", "Om 15 dage"}


def test_api_list_rejects_an_unreadable_due_filter_with_a_400(client_as, support_action):
    response = client_as("manager").get("/api/v1/actions/?due=snart")

    assert response.status_code == 400
    assert "a quarter (Q1 2011)" in response.json()["due"][0]


def test_api_list_echoes_a_due_filter_with_a_percent_sign_in_its_400(client_as, support_action):
    response = client_as("manager").get("/api/v1/actions/", {"due": "50% af uge"})

    assert response.status_code == 400
    assert response.json()["due"][0].startswith("“50% af uge” is not a due date")


def test_api_create_goes_through_the_service_and_answers_the_action(
    client_as, danid, theme, support_topic
):
    recommendation = RecommendationFactory()

    response = client_as("secretariat").post(
        "/api/v1/actions/",
        {
            "title": "Driftstatusområde på nemid.nu",
            "theme": "support",
            "owner": "danid",
            "due_phrase": "medio december 2010",
            "status": "in_progress",
            "origin_recommendations": [recommendation.pk],
            "origin_topics": [support_topic.pk],
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["due_start"] == "2010-12-11"
    assert body["due_end"] == "2010-12-20"
    assert body["due_precision"] == "part_of_month"
    assert body["origin_recommendations"] == [recommendation.pk]
    action = Action.objects.get(pk=body["id"])
    assert action.events.get().kind == ActionEvent.Kind.CREATED


def test_api_patch_writes_the_timeline(client_as, support_action):
    response = patch_json(
        client_as("secretariat"),
        f"/api/v1/actions/{support_action.pk}/",
        {"due_phrase": "snarest muligt"},
    )

    assert response.status_code == 200
    assert response.json()["is_due_asap"] is True
    assert support_action.events.get().kind == ActionEvent.Kind.DUE


def test_api_patch_refuses_a_status_change_outside_the_status_route(client_as, support_action):
    response = patch_json(
        client_as("secretariat"), f"/api/v1/actions/{support_action.pk}/", {"status": "done"}
    )

    assert response.status_code == 400
    assert "status" in response.json()
    support_action.refresh_from_db()
    assert support_action.status == Status.PLANNED


def test_api_status_insufficient_without_a_follow_up_is_a_400(client_as, support_action):
    response = client_as("secretariat").post(
        f"/api/v1/actions/{support_action.pk}/status/",
        {"status": "insufficient"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "follow_up" in response.json()
    support_action.refresh_from_db()
    assert support_action.status == Status.PLANNED


def test_api_status_insufficient_with_a_new_follow_up_creates_the_chain(client_as, support_action):
    response = client_as("secretariat").post(
        f"/api/v1/actions/{support_action.pk}/status/",
        {
            "status": "insufficient",
            "note": "Ikke tilstrækkeligt",
            "new_follow_up": {"title": "Alternativ løsning", "due_phrase": "medio januar 2011"},
        },
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "insufficient"
    follow_up = Action.objects.get(pk=body["follow_ups"][0])
    assert follow_up.follows_up_id == support_action.pk
    assert follow_up.due_end == datetime.date(2011, 1, 20)


def test_api_status_insufficient_linking_an_existing_action(
    client_as, support_action, danid, theme
):
    existing = ActionFactory(owner=danid, theme=theme)

    response = client_as("secretariat").post(
        f"/api/v1/actions/{support_action.pk}/status/",
        {"status": "insufficient", "follow_up": existing.pk},
        content_type="application/json",
    )

    assert response.status_code == 200
    existing.refresh_from_db()
    assert existing.follows_up_id == support_action.pk


def test_api_posts_updates_kpis_and_readings(client_as, support_action):
    client = client_as("secretariat")
    base = f"/api/v1/actions/{support_action.pk}"

    update = client.post(f"{base}/updates/", {"text": "Ansat 210"}, content_type="application/json")
    kpi = client.post(
        f"{base}/kpis/",
        {"metric": "Medarbejdere", "unit": "personer", "baseline": "60", "target": "270"},
        content_type="application/json",
    )
    reading = client.post(
        f"{base}/kpis/{kpi.json()['id']}/readings/",
        {"measured_on": "2010-11-01", "value": "270"},
        content_type="application/json",
    )
    timeline = client.get(f"{base}/timeline/")

    assert (update.status_code, kpi.status_code, reading.status_code) == (201, 201, 201)
    assert reading.json()["value"] == "270.00"
    assert [e["kind"] for e in timeline.json()] == ["update", "kpi_added", "kpi"]
    detail = client.get(f"{base}/").json()
    assert detail["updates"][0]["text"] == "Ansat 210"
    assert detail["kpis"][0]["readings"][0]["measured_on"] == "2010-11-01"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/actions/",
            {"title": "X", "theme": "support", "owner": "danid", "due_phrase": "snart"},
            "due_phrase",
        ),
        (
            "/api/v1/actions/",
            {"title": "X", "theme": "support", "owner": "danid", "due_phrase": "x" * 101},
            "due_phrase",
        ),
        ("/api/v1/actions/", {"title": "a\u0000b", "theme": "support", "owner": "danid"}, "title"),
        ("/api/v1/actions/", {"title": "x" * 201, "theme": "support", "owner": "danid"}, "title"),
        ("/api/v1/actions/", {"title": "X", "theme": "nope", "owner": "danid"}, "theme"),
        ("/api/v1/actions/", {"title": "X", "theme": "support", "owner": 5}, "owner"),
        (
            "/api/v1/actions/",
            {"title": "X", "theme": "support", "owner": "danid", "origin_topics": [99999999]},
            "origin_topics",
        ),
        (
            "/api/v1/actions/",
            {"title": "X", "theme": "support", "owner": "danid", "origin_topics": ["abc"]},
            "origin_topics",
        ),
        (
            "/api/v1/actions/",
            {"title": "X", "theme": "support", "owner": "danid", "follows_up": 10**30},
            "follows_up",
        ),
        (
            "/api/v1/actions/",
            {"title": "X", "theme": "support", "owner": "danid", "status": "insufficient"},
            "status",
        ),
        (
            "/api/v1/actions/",
            {"title": "X", "theme": "support", "owner": "danid", "status": "finished"},
            "status",
        ),
        (
            "/api/v1/actions/{action}/status/",
            {"status": "done", "completed_on": "2010-02-30"},
            "completed_on",
        ),
        (
            "/api/v1/actions/{action}/status/",
            {"status": "insufficient", "new_follow_up": {"title": "", "due_phrase": "snart"}},
            "new_follow_up",
        ),
        ("/api/v1/actions/{action}/updates/", {"text": ""}, "text"),
        ("/api/v1/actions/{action}/updates/", {"text": "x" * 20001}, "text"),
        ("/api/v1/actions/{action}/kpis/", {"metric": "M", "baseline": "lots"}, "baseline"),
        ("/api/v1/actions/{action}/kpis/", {"metric": "M", "baseline": "1e20"}, "baseline"),
        (
            "/api/v1/actions/{action}/kpis/{kpi}/readings/",
            {"measured_on": "2999-01-01", "value": "1"},
            "measured_on",
        ),
        (
            "/api/v1/actions/{action}/kpis/{kpi}/readings/",
            {"measured_on": "2010-01-01", "value": None},
            "value",
        ),
    ],
)
def test_api_bad_input_is_a_400_naming_the_field(client_as, support_action, path, body, field):
    kpi = KpiFactory(action=support_action)
    before = (Action.objects.count(), ActionEvent.objects.count(), KpiReading.objects.count())

    response = client_as("secretariat").post(
        path.format(action=support_action.pk, kpi=kpi.pk), body, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    # A nested object's errors come as "object.field" keys.
    assert any(key == field or key.startswith(f"{field}.") for key in response.json())
    after = (Action.objects.count(), ActionEvent.objects.count(), KpiReading.objects.count())
    assert after == before


@pytest.mark.parametrize(
    "body", ["{not json", "[]", '"a string"', "null", '{"title": 5, "theme": [], "owner": {}}']
)
def test_api_malformed_or_wrongly_typed_bodies_are_a_400(client_as, support_action, body):
    response = client_as("secretariat").post(
        "/api/v1/actions/", body, content_type="application/json"
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/actions/999999/",
        "/api/v1/actions/99999999999999999999999999/",
        "/api/v1/actions/abc/",
        "/api/v1/actions/{action}/kpis/999999/readings/",
        "/api/v1/themes/999999/",
    ],
)
def test_api_unknown_ids_are_a_404(client_as, support_action, path):
    client = client_as("secretariat")
    address = path.format(action=support_action.pk)

    response = (
        client.post(
            address, {"measured_on": "2010-01-01", "value": "1"}, content_type="application/json"
        )
        if "readings" in address
        else client.get(address)
    )

    assert response.status_code == 404


def test_api_a_nul_byte_in_a_filter_is_a_400(client_as, support_action):
    assert client_as("secretariat").get("/api/v1/actions/?q=a%00").status_code == 400


@pytest.mark.parametrize("role", ["agent", "secretariat"])
def test_api_action_list_uses_the_same_number_of_queries_for_1_and_25_rows(
    client_as, danid, theme, support_topic, django_assert_num_queries, role
):
    client = client_as(role)

    def make(count):
        for _ in range(count):
            action = ActionFactory(owner=danid, theme=theme, topics=[support_topic])
            kpi = KpiFactory(action=action)
            KpiReadingFactory(kpi=kpi)
            action.updates.create(text="Fremdrift")
            action.origin_recommendations.set([RecommendationFactory(topics=[support_topic])])

    make(1)
    client.get("/api/v1/actions/")
    with CaptureQueriesContext(connection) as one_row:
        client.get("/api/v1/actions/")
    make(24)

    with django_assert_num_queries(len(one_row)):
        response = client.get("/api/v1/actions/")

    assert response.json()["count"] == 25


def test_api_theme_list_uses_the_same_number_of_queries_for_1_and_25_rows(
    client_as, django_assert_num_queries
):
    client = client_as("manager")
    ThemeFactory()
    client.get("/api/v1/themes/")
    with CaptureQueriesContext(connection) as one_row:
        client.get("/api/v1/themes/")
    for _ in range(24):
        ThemeFactory()

    with django_assert_num_queries(len(one_row)):
        response = client.get("/api/v1/themes/")

    assert response.json()["count"] == 25


def test_api_schema_documents_the_action_routes_and_their_errors(client_as):
    response = client_as("secretariat").get("/api/schema/?format=json")

    paths = response.json()["paths"]
    assert "/api/v1/actions/{id}/status/" in paths
    assert "/api/v1/actions/{id}/kpis/{kpi_pk}/readings/" in paths
    assert "/api/v1/themes/" in paths
    status_route = paths["/api/v1/actions/{id}/status/"]["post"]
    assert {"200", "400", "403", "404"} <= set(status_route["responses"])
    params = {p["name"]: p for p in paths["/api/v1/actions/"]["get"]["parameters"]}
    assert {"owner", "theme", "status", "due", "overdue", "origin", "ordering"} <= set(params)
    for yes_no in ("overdue", "is_open", "asap", "due_for_follow_up"):
        assert params[yes_no]["schema"]["type"] == "boolean", yes_no


@pytest.mark.parametrize("sub_list", ["updates", "kpis", "timeline"])
def test_api_sub_lists_use_the_same_number_of_queries_for_1_and_25_rows(
    client_as, support_action, personas, django_assert_num_queries, sub_list
):
    client = client_as("agent")
    address = f"/api/v1/actions/{support_action.pk}/{sub_list}/"

    def make(count):
        for _ in range(count):
            support_action.updates.create(text="Fremdrift", author=personas["secretariat"])
            KpiReadingFactory(kpi=KpiFactory(action=support_action))
            support_action.events.create(kind="update", actor=personas["secretariat"])

    make(1)
    client.get(address)
    with CaptureQueriesContext(connection) as one_row:
        client.get(address)
    make(24)

    with django_assert_num_queries(len(one_row)):
        response = client.get(address)

    assert len(response.json()) == 25
