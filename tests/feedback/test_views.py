"""The agent's rating form, the survey pages and who may use them."""

import datetime
import re

import pytest
from django.urls import reverse

from analytics.periods import REPORTING_TZ
from enquiries.models import Notification
from feedback import services
from feedback.models import EnquiryRating, SurveyResult
from tests.feedback.conftest import resolve
from tests.permissions import ROLES

SURVEY = {
    "source": "A&B Analyse for avisen ”kommunen”",
    "published_on": "2010-11-30",
    "is_date_estimated": "on",
    "respondents": "1426",
    "base": "",
    "share_satisfied": "77.0",
    "share_basis": "Respondenter, der har tilmeldt sig NemID",
    "notes": "",
}


@pytest.fixture
def survey(db):
    return SurveyResult.objects.create(
        source="M3 for DanID", published_on="2010-11-30", respondents=1500, base=713,
        share_satisfied="81.0",
    )  # fmt: skip


# fmt: off
#   route name,            method, data,      agent lead secr  mgr admin anon
ROUTES = [
    ("feedback:satisfaction",      "get",  None,     403, 403, 200, 200, 200, 302),
    ("feedback:survey-create",     "get",  None,     403, 403, 200, 403, 200, 302),
    ("feedback:survey-create",     "post", "survey", 403, 403, 302, 403, 302, 302),
    ("feedback:survey-update",     "get",  None,     403, 403, 200, 403, 200, 302),
    ("feedback:survey-update",     "post", "survey", 403, 403, 302, 403, 302, 302),
    ("feedback:agent-rating",      "post", "rating", 302, 302, 403, 403, 302, 302),
    ("feedback:rating-invitation", "post", None,     302, 302, 403, 403, 302, 302),
    ("feedback:rate",              "get",  None,     200, 200, 200, 200, 200, 200),
    ("feedback:rate",              "post", "citizen", 200, 200, 200, 200, 200, 200),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "method", "data", "role", "expected"),
    [(*route[:3], role, route[3 + i]) for route in ROUTES for i, role in enumerate(ROLES)],
)
def test_who_may_use_each_satisfaction_route(
    client_as, resolved, survey, name, method, data, role, expected
):
    args = {
        "feedback:survey-update": [survey.pk],
        "feedback:agent-rating": [resolved.reference],
        "feedback:rating-invitation": [resolved.reference],
        "feedback:rate": [services.make_rating_token(resolved)],
    }.get(name, [])
    body = {
        "survey": SURVEY,
        "rating": {"rating-score": "4"},
        "citizen": {"score": "4"},
    }.get(data, {})
    if name == "feedback:survey-update":
        body = {**body, "version": survey.version}

    response = getattr(client_as(role), method)(reverse(name, args=args), body)

    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def detail(client, enquiry):
    return client.get(reverse("enquiries:detail", args=[enquiry.reference]))


def test_the_resolved_enquiry_page_offers_the_agent_the_rating_form_and_link(client_as, resolved):
    html = detail(client_as("agent"), resolved).content.decode()

    assert reverse("feedback:agent-rating", args=[resolved.reference]) in html
    assert 'name="rating-score"' in html
    assert "/feedback/rate/" in html
    assert "E-mail the link to karen@example.invalid" in html


def test_the_open_enquiry_page_has_no_rating_form(client_as, open_enquiry):
    html = detail(client_as("agent"), open_enquiry).content.decode()

    assert 'name="rating-score"' not in html
    assert "once it is resolved" in html


def test_managers_read_the_rating_but_get_no_form(client_as, resolved, personas):
    before = detail(client_as("manager"), resolved).content.decode()
    services.record_rating(resolved, score=4, source="agent", by=personas["agent"])
    after = detail(client_as("manager"), resolved).content.decode()

    assert "Not rated." in before
    assert 'name="rating-score"' not in before
    assert "Rated 4 of 5" in after


def test_the_agent_records_a_rating_from_the_enquiry_page(client_as, resolved, personas):
    response = client_as("agent").post(
        reverse("feedback:agent-rating", args=[resolved.reference]),
        {"rating-score": "5", "rating-comment": "Meget tilfreds"},
    )

    rating = EnquiryRating.objects.get()
    assert response["Location"] == reverse("enquiries:detail", args=[resolved.reference])
    assert (rating.score, rating.source, rating.recorded_by) == (5, "agent", personas["agent"])
    page = detail(client_as("agent"), resolved).content.decode()
    assert "Rated 5 of 5" in page and "Meget tilfreds" in page
    assert 'name="rating-score"' not in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"rating-score": "7"},
        {"rating-score": "x"},
        {"rating-score": "2", "rating-comment": "y" * 2001},
    ],
)
def test_bad_agent_input_redisplays_the_enquiry_page_with_errors(client_as, resolved, data):
    response = client_as("agent").post(
        reverse("feedback:agent-rating", args=[resolved.reference]), data
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert resolved.reference in html
    assert "The rating was not recorded" in html
    assert 'class="error-summary"' in html
    assert not EnquiryRating.objects.exists()


def test_rating_an_open_enquiry_from_the_page_names_the_rating(client_as, open_enquiry):
    response = client_as("agent").post(
        reverse("feedback:agent-rating", args=[open_enquiry.reference]),
        {"rating-score": "3"},
        follow=True,
    )

    assert response.redirect_chain[-1][1] == 302
    assert "Only a resolved or closed enquiry can be rated." in response.content.decode()
    assert not EnquiryRating.objects.exists()


def test_rating_twice_from_the_page_keeps_the_first(client_as, resolved):
    client = client_as("agent")
    url = reverse("feedback:agent-rating", args=[resolved.reference])
    client.post(url, {"rating-score": "3"})

    response = client.post(url, {"rating-score": "1"}, follow=True)

    assert EnquiryRating.objects.get().score == 3
    assert "already been rated" in response.content.decode()


def test_unknown_or_invisible_enquiries_are_not_found(client_as, taxonomy, personas, category):
    from tests.feedback.conftest import resolve

    ministry = resolve(taxonomy["ministry"], personas["admin"])
    client = client_as("agent")

    unknown = client.post(reverse("feedback:agent-rating", args=["NID-2010-999999"]), {})
    invisible = client.post(reverse("feedback:agent-rating", args=[ministry.reference]), {})

    assert unknown.status_code == invisible.status_code == 404


def test_the_agent_emails_the_link_once(client_as, resolved):
    client = client_as("agent")
    url = reverse("feedback:rating-invitation", args=[resolved.reference])

    client.post(url)
    client.post(url)
    page = detail(client, resolved).content.decode()

    assert Notification.objects.count() == 1
    assert "The link was e-mailed to karen@example.invalid." in page


def test_emailing_without_an_address_says_why(client_as, support, personas):
    from tests.feedback.conftest import resolve

    enquiry = resolve(support, personas["agent"])

    response = client_as("agent").post(
        reverse("feedback:rating-invitation", args=[enquiry.reference]), follow=True
    )

    assert "The citizen has no e-mail address." in response.content.decode()
    assert not Notification.objects.exists()


def test_the_secretariat_records_a_survey_result(client_as):
    response = client_as("secretariat").post(reverse("feedback:survey-create"), SURVEY)

    survey = SurveyResult.objects.get()
    assert response["Location"] == reverse("feedback:satisfaction")
    assert (survey.respondents, str(survey.share_satisfied), survey.is_date_estimated) == (
        1426,
        "77.0",
        True,
    )
    page = client_as("manager").get(reverse("feedback:satisfaction")).content.decode()
    assert "A&amp;B Analyse for avisen ”kommunen”" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": ""}, "source"),
        ({"source": "x" * 201}, "source"),
        ({"source": "a\x00b"}, "source"),
        ({"published_on": "30/11/2010x"}, "published_on"),
        ({"respondents": "-1"}, "respondents"),
        ({"respondents": "many"}, "respondents"),
        ({"respondents": str(2**70)}, "respondents"),
        ({"share_satisfied": "100.1"}, "share_satisfied"),
        ({"share_satisfied": "77.05"}, "share_satisfied"),
        ({"share_satisfied": "-3"}, "share_satisfied"),
        ({"base": "2000"}, "base"),
        ({"conducted_by": "999999"}, "conducted_by"),
        ({"notes": "n" * 5001}, "notes"),
    ],
)
def test_a_bad_survey_result_is_redisplayed_naming_the_field(client_as, changes, field):
    response = client_as("secretariat").post(
        reverse("feedback:survey-create"), {**SURVEY, **changes}
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'href="#id_{field}"' in response.content.decode()
    assert not SurveyResult.objects.exists()


def test_the_satisfaction_page_summarises_ratings(client_as, resolved, survey, personas):
    services.record_rating(resolved, score=4, source="agent", by=personas["agent"])

    response = client_as("manager").get(reverse("feedback:satisfaction"))

    summary = response.context["ratings"]
    assert (summary["count"], summary["satisfied_share"], summary["by_agent"]) == (1, 100.0, 1)
    assert "M3 for DanID" in response.content.decode()


def test_the_satisfaction_page_summarises_only_the_ratings_asked_for(
    client_as, support, category, citizen, taxonomy, personas
):
    agent, admin = personas["agent"], personas["admin"]
    september = datetime.datetime(2010, 9, 15, 12, tzinfo=REPORTING_TZ)
    for queue, score, when in [
        (support, 5, september),
        (support, 2, september + datetime.timedelta(days=30)),
        (taxonomy["ministry"], 1, september),
    ]:
        enquiry = resolve(queue, admin, citizen=citizen)
        services.record_rating(enquiry, score=score, source="agent", by=agent, now=when)
    client = client_as("manager")
    url = reverse("feedback:satisfaction")

    everything = client.get(url).context["ratings"]
    response = client.get(
        url, {"queue": "support", "recorded_from": "2010-09-01", "recorded_to": "2010-09-30"}
    )

    assert everything["count"] == 3
    assert response.status_code == 200
    assert (response.context["ratings"]["count"], response.context["ratings"]["mean"]) == (1, 5)
    html = response.content.decode()
    assert 'id="rating-filters"' in html
    assert support.name in html


def test_a_bad_rating_filter_is_a_400_naming_it_with_no_figures(client_as, resolved, personas):
    services.record_rating(resolved, score=4, source="agent", by=personas["agent"])

    response = client_as("manager").get(
        reverse("feedback:satisfaction"), {"recorded_from": "den 1. september"}
    )

    assert response.status_code == 400
    assert "recorded_from" in response.context["rating_filter"].form.errors
    assert 'href="#id_recorded_from"' in response.content.decode()
    assert response.context["ratings"]["count"] == 0


def test_show_with_every_filter_left_open_counts_every_score(client_as, support, citizen, personas):
    for score in (1, 4, 5):
        enquiry = resolve(support, personas["admin"], citizen=citizen)
        services.record_rating(enquiry, score=score, source="agent", by=personas["agent"])
    client = client_as("manager")
    url = reverse("feedback:satisfaction")
    page = client.get(url).content.decode()

    # The score select starts at "Any", as the browser sends it with "Show".
    first_option = re.search(r'<select name="score"[^>]*>\s*<option value="([^"]*)"', page)
    shown = client.get(url, {"queue": "", "source": "", "score": first_option[1]})

    assert first_option[1] == ""
    assert shown.context["ratings"]["count"] == 3
    assert client.get(url, {"score": "4"}).context["ratings"]["count"] == 1


def test_the_satisfaction_filters_carry_no_help_meant_for_the_api(client_as, resolved):
    html = client_as("manager").get(reverse("feedback:satisfaction")).content.decode()

    assert "code" not in html.lower().split('id="ratings-heading"')[1]
