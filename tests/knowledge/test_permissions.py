"""Who may use each knowledge-base page and API route: role x route tables.

Read by tests/accounts/test_route_tables.py, which fails when a knowledge
route has no row here. The secretariat (and administrators) write the
articles; every desk reads them and gets suggestions; agents and team
leads record an inserted suggestion; the secretariat and managers read
which categories lack an article.
"""

import pytest
from django.urls import reverse

from knowledge.models import Article, ArticleVersion, SuggestionUse
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, DENIED, NC = 200, 302, 403, 204  # NC: counted, no content

# fmt: off
#   route                        method  body       agent   lead    secr    mgr     admin   anon
PAGES = [
    ("knowledge:article-list",   "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("knowledge:article-create", "get",  None,      DENIED, DENIED, OK,     DENIED, OK,     LOGIN),
    ("knowledge:article-create", "post", "new",     DENIED, DENIED, DONE,   DENIED, DONE,   LOGIN),
    ("knowledge:article-detail", "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("knowledge:version-create", "get",  None,      DENIED, DENIED, OK,     DENIED, OK,     LOGIN),
    ("knowledge:version-create", "post", "version", DENIED, DENIED, DONE,   DENIED, DONE,   LOGIN),
    ("knowledge:suggest",        "get",  None,      OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("knowledge:use",            "post", "use",     NC,     NC,     DENIED, DENIED, NC,     LOGIN),
    ("knowledge:gaps",           "get",  None,      DENIED, DENIED, OK,     OK,     OK,     LOGIN),
    # The public help pages: an article flagged public, for everyone.
    ("help:index",               "get",  None,      OK,     OK,     OK,     OK,     OK,     OK),
    ("help:article",             "get",  None,      OK,     OK,     OK,     OK,     OK,     OK),
]

API = [
    ("get",  "/api/v1/articles/", None,                   200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/articles/", "new",                  403, 403, 201, 403, 201, 401),
    ("get",  "/api/v1/articles/suggestions/", None,       200, 200, 200, 200, 200, 401),
    ("get",  "/api/v1/articles/{key}/", None,             200, 200, 200, 200, 200, 401),
    ("get",  "/api/v1/articles/{key}/versions/", None,    200, 200, 200, 200, 200, 401),
    ("post", "/api/v1/articles/{key}/versions/", "version", 403, 403, 201, 403, 201, 401),
]
# fmt: on

VERSION = {
    "title_da": "Nøglekort",
    "body_da": "Nøglekortet sendes med posten.",
    "title_en": "Code card",
    "body_en": "The code card is sent by post.",
}
BODIES = {
    "new": {"key": "noeglekort", **VERSION},
    "version": VERSION,
    "use": {"article": "midlertidig-adgangskode"},
}


def _counts() -> tuple[int, int]:
    return ArticleVersion.objects.count(), SuggestionUse.objects.count()


@pytest.mark.parametrize(("route", "method", "body", "role", "expected"), cases_by_role(PAGES))
def test_who_may_use_each_knowledge_page(client_as, article, route, method, body, role, expected):
    kwargs = (
        {"key": article.key}
        if route in ("knowledge:article-detail", "knowledge:version-create", "help:article")
        else {}
    )
    Article.objects.filter(pk=article.pk).update(is_public=True)
    before = _counts()

    response = getattr(client_as(role), method)(reverse(route, kwargs=kwargs), BODIES.get(body, {}))

    assert answer(response) == expected
    if expected in (DENIED, LOGIN):
        assert _counts() == before
    if expected in (DONE, NC):
        assert _counts() != before


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(API))
def test_who_may_use_each_knowledge_api_route(
    client_as, article, method, path, body, role, expected
):
    url = path.format(key=article.key)
    before = _counts()

    response = getattr(client_as(role), method)(
        url, BODIES.get(body, {}), content_type="application/json"
    )

    assert answer(response) == expected
    if expected != 201:
        assert _counts() == before
    else:
        assert _counts() != before


@pytest.mark.parametrize(
    "role", ["agent", "team_lead", "secretariat", "manager", "admin", "anonymous"]
)
def test_a_staff_only_article_is_on_no_help_page_for_anyone(client_as, article, role):
    client = client_as(role)

    page = client.get(reverse("help:article", kwargs={"key": article.key}))
    index = client.get(reverse("help:index"))

    assert page.status_code == 404
    assert article.key not in index.content.decode()
