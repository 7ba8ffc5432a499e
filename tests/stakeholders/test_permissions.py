"""Who may open which page and API route: one row per route, one column per role.

Secretariat and administrators edit; managers read everything; agents and
team leads read only the recommendations on their queues' topics (a
recommendation elsewhere is a 404) and nothing else of this app; a visitor
who is not logged in is sent to the login page (pages) or asked for a token
(API: 401).
"""

import pytest
from django.urls import reverse

from enquiries.models import Topic
from stakeholders import services
from stakeholders import urls as stakeholders_urls
from stakeholders.api import urls as stakeholders_api_urls
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)
from tests.etags import if_match
from tests.factories import RecommendationFactory, UserFactory
from tests.permissions import LOGIN, answers, cases
from tests.stakeholders import files

S = "stakeholders:"
A = "api:"

# fmt: off
#   route                                         method  agent lead secr  mgr admin anon
ROUTES = [
    (S + "index",                                 "get",   302, 302, 302, 302, 302, LOGIN),
    (S + "overview",                              "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "organisation-list",                     "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "organisation-detail",                   "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "organisation-create",                   "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "organisation-create",                   "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "organisation-update",                   "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "organisation-update",                   "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "contact-list",                          "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "contact-create",                        "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "contact-create",                        "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "contact-update",                        "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "contact-update",                        "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "workinggroup-list",                     "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "workinggroup-detail",                   "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "workinggroup-create",                   "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "workinggroup-create",                   "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "workinggroup-update",                   "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "workinggroup-update",                   "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "meeting-list",                          "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "meeting-detail",                        "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "meeting-create",                        "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "meeting-create",                        "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "meeting-update",                        "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "meeting-update",                        "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "meeting-recommendation-create",         "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "meeting-recommendation-create",         "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "attachment-upload",                     "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "attachment-download",                   "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "attachment-delete",                     "post",  403, 403, 302, 403, 302, LOGIN),
    (S + "recommendation-list",                   "get",   200, 200, 200, 200, 200, LOGIN),
    (S + "recommendation-detail",                 "get",   200, 200, 200, 200, 200, LOGIN),
    ("elsewhere:recommendation-detail",           "get",   404, 404, 200, 200, 200, LOGIN),
    (S + "recommendation-create",                 "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "recommendation-create",                 "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "recommendation-update",                 "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "recommendation-update",                 "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "recommendation-respond",                "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "recommendation-respond",                "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "followup-list",                         "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "followup-detail",                       "get",   403, 403, 200, 200, 200, LOGIN),
    (S + "followup-create",                       "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "followup-create",                       "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "followup-update",                       "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "followup-update",                       "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "followup-resolve",                      "get",   403, 403, 200, 403, 200, LOGIN),
    (S + "followup-resolve",                      "post",  403, 403, 200, 403, 200, LOGIN),
    (S + "followup-reopen",                       "post",  403, 403, 302, 403, 302, LOGIN),
    (A + "organisation-list",                     "get",   403, 403, 200, 200, 200, 401),
    (A + "organisation-list",                     "post",  403, 403, 400, 403, 400, 401),
    (A + "organisation-detail",                   "get",   403, 403, 200, 200, 200, 401),
    (A + "organisation-detail",                   "patch", 403, 403, 200, 403, 200, 401),
    (A + "organisation-detail",                   "delete", 403, 403, 405, 403, 405, 401),
    (A + "contact-list",                          "get",   403, 403, 200, 200, 200, 401),
    (A + "contact-list",                          "post",  403, 403, 400, 403, 400, 401),
    (A + "contact-detail",                        "get",   403, 403, 200, 200, 200, 401),
    (A + "contact-detail",                        "patch", 403, 403, 200, 403, 200, 401),
    (A + "workinggroup-list",                     "get",   403, 403, 200, 200, 200, 401),
    (A + "workinggroup-list",                     "post",  403, 403, 400, 403, 400, 401),
    (A + "workinggroup-detail",                   "get",   403, 403, 200, 200, 200, 401),
    (A + "workinggroup-detail",                   "patch", 403, 403, 200, 403, 200, 401),
    (A + "meeting-list",                          "get",   403, 403, 200, 200, 200, 401),
    (A + "meeting-list",                          "post",  403, 403, 400, 403, 400, 401),
    (A + "meeting-detail",                        "get",   403, 403, 200, 200, 200, 401),
    (A + "meeting-detail",                        "patch", 403, 403, 200, 403, 200, 401),
    (A + "meeting-attachments",                   "post",  403, 403, 400, 403, 400, 401),
    (A + "recommendation-list",                   "get",   200, 200, 200, 200, 200, 401),
    (A + "recommendation-list",                   "post",  403, 403, 400, 403, 400, 401),
    (A + "recommendation-detail",                 "get",   200, 200, 200, 200, 200, 401),
    ("elsewhere:api-recommendation-detail",       "get",   404, 404, 200, 200, 200, 401),
    (A + "recommendation-detail",                 "patch", 403, 403, 200, 403, 200, 401),
    (A + "recommendation-respond",                "post",  403, 403, 400, 403, 400, 401),
    (A + "followup-list",                         "get",   403, 403, 200, 200, 200, 401),
    (A + "followup-list",                         "post",  403, 403, 400, 403, 400, 401),
    (A + "followup-detail",                       "get",   403, 403, 200, 200, 200, 401),
    (A + "followup-detail",                       "patch", 403, 403, 200, 403, 200, 401),
    (A + "followup-resolve",                      "post",  403, 403, 400, 403, 400, 401),
    (A + "followup-reopen",                       "post",  403, 403, 200, 403, 200, 401),
]
# fmt: on


@pytest.fixture
def objects(world, personas):
    """One row of each kind for the URLs; a recommendation on no support topic."""
    support_rec = Recommendation.objects.get(code="aeldre-sagen-sprog")
    ministry_only = Topic.objects.get(queue__code="ministry", code="privatliv")
    meeting = Meeting.objects.get(code="aeldre-sagen-2010-11-25")
    follow_up = FollowUp.objects.get(code="dh-indbydelse")
    follow_up.resolved_on = follow_up.since_on
    follow_up.save()

    def new_attachment():
        upload = files.upload("a.pdf", files.PDF)
        return services.add_attachment(meeting, upload=upload, by=personas["secretariat"]).pk

    return {
        "organisation": Organisation.objects.get(code="itst").pk,
        "contact": Contact.objects.first().pk,
        "workinggroup": WorkingGroup.objects.get().pk,
        "meeting": meeting.pk,
        # A fresh file for each request, since a permitted delete removes it.
        "attachment": new_attachment,
        "recommendation": support_rec.pk,
        "elsewhere": RecommendationFactory(topics=[ministry_only]).pk,
        "followup": follow_up.pk,
    }


def _url(route: str, objects: dict) -> str:
    if route.startswith("elsewhere:"):
        name = "api:recommendation-detail" if "api-" in route else S + "recommendation-detail"
        return reverse(name, args=[objects["elsewhere"]])
    name = route.split(":")[1]
    if name in ("overview", "index") or (
        name.endswith(("-list", "-create")) and not name.startswith("meeting-recommendation")
    ):
        return reverse(route)
    on_meeting = name.startswith("meeting-") or name == "attachment-upload"
    model = "meeting" if on_meeting else name.split("-")[0]
    pk = objects[model]
    return reverse(route, args=[pk() if callable(pk) else pk])


def _request(client, route: str, method: str, url: str):
    if route == A + "meeting-attachments":
        return client.post(url, {})  # multipart, as a file upload is sent
    if route.startswith((A, "elsewhere:api")):
        headers = if_match(client, url) if method == "patch" else {}
        return getattr(client, method)(url, {}, content_type="application/json", headers=headers)
    if method == "post":
        return client.post(url, {})
    return client.get(url)


@pytest.mark.parametrize(("route", "method", "expected"), cases(ROUTES))
def test_route_answers_each_role_as_the_table_says(client_as, objects, route, method, expected):
    def request(persona):
        return _request(client_as(persona), route, method, _url(route, objects))

    assert answers(request) == expected


def test_agent_list_shows_only_recommendations_on_their_queues_topics(client_as, objects):
    response = client_as("agent").get(reverse("stakeholders:recommendation-list"))

    pks = {rec.pk for rec in response.context["object_list"]}
    assert objects["recommendation"] in pks
    assert objects["elsewhere"] not in pks


def test_agent_recommendation_page_links_no_pages_they_cannot_open(client_as, objects):
    response = client_as("agent").get(
        reverse("stakeholders:recommendation-detail", args=[objects["recommendation"]])
    )

    html = response.content.decode()
    assert reverse("stakeholders:meeting-detail", args=[objects["meeting"]]) not in html
    assert "/stakeholders/organisations/" not in html
    assert (
        reverse("stakeholders:recommendation-respond", args=[objects["recommendation"]]) not in html
    )


@pytest.mark.parametrize(
    ("route", "method"), [(row[0], row[1]) for row in ROUTES if row[0] != S + "index"]
)
def test_a_user_without_a_role_is_refused_every_route(client, objects, route, method):
    client.force_login(UserFactory(username="nobody"))

    response = _request(client, route, method, _url(route, objects))

    assert response.status_code == 403


def _route_names(namespace: str, module) -> set[str]:
    return {f"{namespace}:{p.name}" for p in module.urlpatterns if p.name}


def test_the_table_has_a_row_for_every_page_and_api_route():
    listed = {row[0] for row in ROUTES}
    pages = _route_names("stakeholders", stakeholders_urls)
    api = _route_names("api", stakeholders_api_urls)

    assert pages | api <= listed
