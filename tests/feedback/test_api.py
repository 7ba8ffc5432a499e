"""The satisfaction API: survey results and ratings, roles, bad input, queries."""

import json

import pytest

from feedback import services
from feedback.models import EnquiryRating, SurveyResult
from tests.etags import if_match, patch_json
from tests.factories import OrganisationFactory
from tests.feedback.conftest import resolve
from tests.permissions import ROLES

SURVEYS = "/api/v1/survey-results/"
RATINGS = "/api/v1/ratings/"
VALID = {
    "source": "Analyseinstituttet M3 i samarbejde med MEC for DanID",
    "published_on": "2010-11-30",
    "respondents": 1500,
    "base": 713,
    "share_satisfied": "81.0",
}


@pytest.fixture
def survey(db):
    return SurveyResult.objects.create(
        source="A&B Analyse", published_on="2010-11-30", respondents=1426, share_satisfied="77.0"
    )


@pytest.fixture
def rating(resolved, personas):
    return services.record_rating(resolved, score=4, source="agent", by=personas["agent"])


# fmt: off
#   method,   path,                       body,      agent lead secr mgr admin anon
ROUTES = [
    ("get",    SURVEYS,                   None,      403, 403, 200, 200, 200, 401),
    ("post",   SURVEYS,                   "valid",   403, 403, 201, 403, 201, 401),
    ("get",    SURVEYS + "{survey}/",     None,      403, 403, 200, 200, 200, 401),
    ("patch",  SURVEYS + "{survey}/",     "patch",   403, 403, 200, 403, 200, 401),
    ("put",    SURVEYS + "{survey}/",     "valid",   403, 403, 405, 403, 405, 401),
    ("delete", SURVEYS + "{survey}/",     None,      403, 403, 403, 403, 204, 401),
    ("get",    RATINGS,                   None,      200, 200, 200, 200, 200, 401),
    ("get",    RATINGS + "{rating}/",     None,      200, 200, 200, 200, 200, 401),
    ("get",    RATINGS + "summary/",      None,      200, 200, 200, 200, 200, 401),
    ("post",   RATINGS,                   "rating",  405, 405, 403, 403, 405, 401),
]
# fmt: on
BODIES = {"valid": VALID, "patch": {"share_satisfied": "78.0"}, "rating": {"score": 3}}


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [(*route[:3], role, route[3 + i]) for route in ROUTES for i, role in enumerate(ROLES)],
)
def test_who_may_call_each_satisfaction_route(
    client_as, survey, rating, method, path, body, role, expected
):
    url = path.format(survey=survey.pk, rating=rating.pk)
    kwargs = {"content_type": "application/json"}
    if body:
        kwargs["data"] = json.dumps(BODIES[body])

    client = client_as(role)
    if method == "patch":
        kwargs["headers"] = if_match(client, url)
    response = getattr(client, method)(url, **kwargs)

    assert response.status_code == expected, response.content


def test_a_survey_result_is_created_with_organisations_by_code(client_as):
    OrganisationFactory(code="m3", name="Analyseinstituttet M3")
    OrganisationFactory(code="danid", name="DanID")

    response = client_as("secretariat").post(
        SURVEYS,
        {**VALID, "conducted_by": "m3", "commissioned_by": "danid"},
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["conducted_by"], body["commissioned_by"], body["base"]) == ("m3", "danid", 713)
    assert SurveyResult.objects.get().share_satisfied == 81


BIG = 2**70
# (body or raw JSON text, the field the 400 names)
BAD_SURVEYS = [
    ("{", "detail"),
    ("[]", "non_field_errors"),
    ({}, "source"),
    ({**VALID, "source": ""}, "source"),
    ({**VALID, "source": "x" * 201}, "source"),
    ({**VALID, "source": "a\x00b"}, "source"),
    ({**VALID, "source": ["list"]}, "source"),
    ({**VALID, "published_on": "november 2010"}, "published_on"),
    ({**VALID, "respondents": -1}, "respondents"),
    ({**VALID, "respondents": "many"}, "respondents"),
    ({**VALID, "respondents": BIG}, "respondents"),
    ({**VALID, "base": 1501}, "base"),
    ({**VALID, "share_satisfied": "100.1"}, "share_satisfied"),
    ({**VALID, "share_satisfied": "81.05"}, "share_satisfied"),
    ({**VALID, "share_satisfied": "abc"}, "share_satisfied"),
    ({**VALID, "conducted_by": "nobody"}, "conducted_by"),
    ({**VALID, "conducted_by": 7}, "conducted_by"),
    ({**VALID, "conducted_by": "m3\x00"}, "conducted_by"),
    ({**VALID, "conducted_by": "x" * 1000}, "conducted_by"),
    ({**VALID, "is_date_estimated": "perhaps"}, "is_date_estimated"),
    ({**VALID, "notes": "n" * 5001}, "notes"),
]


@pytest.mark.parametrize(("body", "field"), BAD_SURVEYS)
def test_a_bad_survey_result_is_a_400_naming_the_field(client_as, body, field):
    data = body if isinstance(body, str) else json.dumps(body)

    response = client_as("secretariat").post(SURVEYS, data, content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()
    assert not SurveyResult.objects.exists()


def test_a_patch_may_not_make_the_base_larger_than_the_respondents(client_as, survey):
    response = patch_json(client_as("secretariat"), f"{SURVEYS}{survey.pk}/", {"base": 2000})

    assert response.status_code == 400
    assert "base" in response.json()
    survey.refresh_from_db()
    assert survey.base is None


@pytest.mark.parametrize("key", ["999999", "abc", str(BIG), "1.5"])
def test_unknown_ids_are_a_json_404(client_as, key):
    for path in (SURVEYS, RATINGS):
        response = client_as("manager").get(f"{path}{key}/")

        assert response.status_code == 404
        assert "detail" in response.json()


def test_ratings_show_the_enquiry_queue_and_agent(client_as, rating, resolved):
    body = client_as("manager").get(RATINGS).json()

    (row,) = body["results"]
    assert row["reference"] == resolved.reference
    assert (row["queue"], row["score"], row["source"], row["recorded_by"]) == (
        "support",
        4,
        "agent",
        "agent",
    )


def test_agents_read_only_the_ratings_of_their_teams_queues(client_as, taxonomy, personas, rating):
    ministry = resolve(taxonomy["ministry"], personas["admin"])
    services.record_rating(ministry, score=1, source="citizen", by=None)

    agent = client_as("agent").get(RATINGS).json()["results"]
    manager = client_as("manager").get(RATINGS).json()["results"]
    hidden = client_as("agent").get(f"{RATINGS}{ministry.rating.pk}/")

    assert [row["queue"] for row in agent] == ["support"]
    assert sorted(row["queue"] for row in manager) == ["ministry", "support"]
    assert hidden.status_code == 404


def test_the_summary_counts_the_filtered_ratings(client_as, support, personas, rating):
    for score in (5, 2):
        enquiry = resolve(support, personas["agent"])
        services.record_rating(enquiry, score=score, source="citizen", by=None)

    everything = client_as("manager").get(f"{RATINGS}summary/").json()
    citizens = client_as("manager").get(f"{RATINGS}summary/", {"source": "citizen"}).json()

    assert everything["count"] == 3
    assert everything["mean"] == pytest.approx(11 / 3, abs=0.01)
    assert everything["satisfied_share"] == 66.7
    assert {row["score"]: row["count"] for row in everything["scores"]} == {
        1: 0, 2: 1, 3: 0, 4: 1, 5: 1,
    }  # fmt: skip
    assert (citizens["count"], citizens["by_agent"], citizens["by_citizen"]) == (2, 0, 2)


@pytest.mark.parametrize(
    "query",
    [{"score": "9"}, {"source": "robot"}, {"queue": "nowhere"}, {"recorded_from": "juli"}],
)
def test_bad_rating_filters_are_a_400_naming_the_filter(client_as, query):
    response = client_as("manager").get(RATINGS, query)

    assert response.status_code == 400
    assert set(query) <= set(response.json())


@pytest.mark.parametrize("rows", [1, 25])
def test_the_lists_take_the_same_queries_whatever_the_rows(
    client_as, support, personas, rows, django_assert_num_queries
):
    for _ in range(rows):
        SurveyResult.objects.create(
            source="S", published_on="2010-11-30", respondents=10, share_satisfied="50.0",
            conducted_by=OrganisationFactory(), commissioned_by=OrganisationFactory(),
        )  # fmt: skip
        enquiry = resolve(support, personas["agent"])
        services.record_rating(enquiry, score=3, source="agent", by=personas["agent"])
    client = client_as("manager")
    client.get(SURVEYS)  # keeps the permissions and roles (accounts.access)

    # Session, user; the count; the rows with organisations.
    with django_assert_num_queries(4):
        surveys = client.get(SURVEYS)
    # Session, user; the rows with enquiry, queue, agent.
    with django_assert_num_queries(3):
        ratings = client.get(RATINGS)

    assert surveys.json()["count"] == rows
    assert len(ratings.json()["results"]) == rows
    assert EnquiryRating.objects.count() == rows


def test_the_schema_documents_every_satisfaction_route_with_its_errors(tmp_path):
    import yaml
    from django.core.management import call_command

    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    paths = yaml.safe_load(path.read_text())["paths"]

    operations = {
        (url, method): operation
        for url, item in paths.items()
        if url.startswith(("/api/v1/survey-results/", "/api/v1/ratings/"))
        for method, operation in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    }
    assert set(operations) == {
        ("/api/v1/survey-results/", "get"),
        ("/api/v1/survey-results/", "post"),
        ("/api/v1/survey-results/{id}/", "get"),
        ("/api/v1/survey-results/{id}/", "patch"),
        ("/api/v1/survey-results/{id}/", "delete"),
        ("/api/v1/ratings/", "get"),
        ("/api/v1/ratings/{id}/", "get"),
        ("/api/v1/ratings/summary/", "get"),
    }
    for (url, method), operation in operations.items():
        codes = set(operation["responses"])
        assert {"401", "403"} <= codes, (url, method)
        assert operation["summary"], (url, method)
        if "{" in url:
            assert "404" in codes, (url, method)
        if "requestBody" in operation:
            assert "400" in codes, (url, method)
            assert set(operation["requestBody"]["content"]) == {"application/json"}
