"""The knowledge base: versions, full-text suggestions (FTS5 on SQLite,
Danish full-text search on PostgreSQL), inserting and counting, the list
of categories without an article, and the pages and API lists."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from answers import services as answer_services
from enquiries import services as enquiry_services
from enquiries.models import Category
from knowledge import search, services
from knowledge.models import Article, ArticleVersion, SuggestionUse

VERSION = {
    "title_da": "Nøglekort bortkommet",
    "body_da": "Et bortkommet nøglekort spærres, og et nyt bestilles.",
    "title_en": "Lost code card",
    "body_en": "A lost code card is blocked and a new one ordered.",
}


def _queries(client, url, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


# Versions ---------------------------------------------------------------


def test_a_new_version_keeps_the_earlier_one_and_each_day_shows_its_text(article):
    versions = list(article.versions.order_by("version"))

    assert [v.version for v in versions] == [1, 2]
    before = article.in_force(at=datetime.datetime(2010, 11, 1, tzinfo=datetime.UTC))
    assert before.body_da == "Den midlertidige adgangskode sendes med posten."
    assert "to breve" in article.in_force().body_da


def test_publishing_moves_last_reviewed_to_today_and_the_search_text(article, personas):
    Article.objects.filter(pk=article.pk).update(last_reviewed=datetime.date(2011, 1, 1))

    services.publish_article_version(article, by=personas["secretariat"], **VERSION)

    article.refresh_from_db()
    assert article.last_reviewed == timezone.localdate()
    assert "bortkommet" in article.search_text


def test_a_published_version_is_never_changed(article):
    version = article.versions.first()
    version.body_da = "Ændret"

    with pytest.raises(ValueError, match="never changed"):
        version.save()


def test_an_agent_may_not_publish_an_article(article, personas):
    with pytest.raises(PermissionDenied):
        services.publish_article_version(article, by=personas["agent"], **VERSION)
    assert article.versions.count() == 2


def test_an_article_key_taken_is_an_error_naming_key(article, personas):
    with pytest.raises(ValidationError) as error:
        services.create_article(article.key, by=personas["secretariat"], **VERSION)
    assert "key" in error.value.message_dict


def test_a_cpr_number_in_an_article_text_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        services.create_article(
            "cpr", by=personas["secretariat"], **{**VERSION, "body_da": "Ring 110682-1449"}
        )
    assert "body_da" in error.value.message_dict
    assert not Article.objects.filter(key="cpr").exists()


# Full-text search -------------------------------------------------------


def test_search_finds_an_article_by_a_word_of_its_text(article, personas):
    other = services.create_article("noeglekort", by=personas["secretariat"], **VERSION)
    articles = Article.objects.visible_to(personas["agent"])

    assert search.matching_ids(articles, "adgangskode", limit=5) == [article.pk]
    assert search.matching_ids(articles, "bortkommet", limit=5) == [other.article_id]
    # A half-typed word is a prefix.
    assert search.matching_ids(articles, "bortkom", limit=5) == [other.article_id]
    assert search.matching_ids(articles, "kaffemaskine", limit=5) == []


def test_search_uses_the_newest_version_only(article, personas):
    articles = Article.objects.visible_to(personas["agent"])
    assert search.matching_ids(articles, "posten", limit=5) == []  # only in version 1
    assert search.matching_ids(articles, "breve", limit=5) == [article.pk]


def test_search_never_takes_a_cpr_number_as_words():
    assert search.words("Nøglekort 110682-1449 væk") == ["nøglekort", "væk"]
    # FTS5 operators and quotes are words, not syntax.
    assert search.words('kode" OR NEAR(') == ["kode", "or", "near"]


def test_search_runs_on_the_database_it_was_built_for(article, personas):
    """SQLite: the FTS5 table; PostgreSQL: the stored Danish vector, indexed."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM knowledge_article_fts")
            assert cursor.fetchone()[0] == Article.objects.count()
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_vector'"
            )
            assert "gin (search_vector)" in cursor.fetchone()[0]
            cursor.execute(
                "SELECT search_vector::text FROM knowledge_article WHERE id = %s", [article.pk]
            )
            # Danish stems: "nøglekortet" is stored as "nøglekort".
            assert "'nøglekort'" in cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Danish stemming: PostgreSQL")
def test_danish_stemming_finds_the_definite_form(article, personas):
    # "nøglekortet" in the text, "nøglekort" typed (and the reverse).
    articles = Article.objects.visible_to(personas["agent"])
    assert search.matching_ids(articles, "nøglekortene", limit=5) == [article.pk]


# Suggestions ------------------------------------------------------------


def test_suggestions_offer_matching_articles_and_templates(article, personas, category):
    answer_services.create_template(
        "adgangskode-svar",
        by=personas["secretariat"],
        subject_da="Om din adgangskode",
        body_da="Kære {citizen_name}",
        subject_en="About your password",
        body_en="Dear {citizen_name}",
    )

    found = services.suggest(personas["agent"], text="adgangskode glemt")

    assert [v.article.key for v in found.articles] == [article.key]
    assert found.articles[0].version == 2
    assert [v.template.key for v in found.templates] == ["adgangskode-svar"]


def test_suggestions_for_a_category_alone_offer_its_articles(article, personas, category):
    found = services.suggest(personas["agent"], category=category)
    other = Category.objects.exclude(pk=category.pk).exclude(topic=category.topic).first()

    assert [v.article.key for v in found.articles] == [article.key]
    assert services.suggest(personas["agent"], category=other).articles == []


def test_the_suggestion_panel_answers_in_danish_and_in_english(client_as, article):
    url = reverse("knowledge:suggest")
    query = {"subject": "adgangskode", "insert": "1"}

    danish = client_as("agent", language="da").get(url, query).content.decode()
    english = client_as("agent", language="en").get(url, query)

    assert "Forslag" in danish
    assert "Indsæt svar" in danish
    assert "Du får nøglekortet" in danish
    assert "Suggestions" in english.content.decode()
    assert "You get the code card" in english.content.decode()


def test_the_suggestion_panel_queries_do_not_grow_with_articles(client_as, personas, category):
    client = client_as("agent")
    url = reverse("knowledge:suggest")
    # From a full panel (SHOWN matches) to many more matches.
    for n in range(services.SHOWN):
        services.create_article(f"a{n}", by=personas["secretariat"], category=category, **VERSION)
    client.get(url, {"subject": "nøglekort", "category": category.pk})
    one, response = _queries(client, url, subject="nøglekort", category=category.pk)
    for n in range(services.SHOWN, 25):
        services.create_article(f"a{n}", by=personas["secretariat"], category=category, **VERSION)

    many, response = _queries(client, url, subject="nøglekort", category=category.pk)

    assert many == one
    assert len(response.context["suggestions"].articles) == services.SHOWN


def test_the_log_form_and_the_reply_page_carry_the_panel(client_as, taxonomy, personas, article):
    client = client_as("agent")
    enquiry = enquiry_services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="Adgangskode"
    )

    form = client.get(reverse("enquiries:create")).content.decode()
    reply = client.get(reverse("answers:reply", args=[enquiry.reference])).content.decode()
    page = client.get(reverse("enquiries:detail", args=[enquiry.reference])).content.decode()

    for html in (form, reply, page):
        assert 'id="knowledge-suggestions"' in html
        assert "js/knowledge.js" in html
    assert 'data-insert="1"' in reply
    assert 'data-use-url="' in reply


# Usefulness -------------------------------------------------------------


def test_an_inserted_article_is_counted_for_the_enquirys_category(
    client_as, taxonomy, personas, article, category
):
    enquiry = enquiry_services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="Kode", category=category
    )

    response = client_as("agent").post(
        reverse("knowledge:use"), {"article": article.key, "enquiry": enquiry.reference}
    )

    assert response.status_code == 204
    use = SuggestionUse.objects.get()
    assert (use.article, use.category, use.enquiry) == (article, category, enquiry)


def test_a_use_of_nothing_is_a_400_and_counts_nothing(client_as, article):
    response = client_as("agent").post(reverse("knowledge:use"), {})

    assert response.status_code == 400
    assert not SuggestionUse.objects.exists()


def test_categories_with_enquiries_and_no_article_come_first(
    client_as, taxonomy, personas, article, category, django_assert_num_queries
):
    bare = Category.objects.filter(topic__queue=taxonomy["support"]).exclude(pk=category.pk)[0]
    for subject in ("a", "b", "c"):
        enquiry_services.register_enquiry(
            taxonomy["support"], by=personas["agent"], subject=subject, category=bare
        )
    enquiry_services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="d", category=category
    )
    services.record_use(by=personas["agent"], article=article, category=category)
    since = timezone.now() - datetime.timedelta(days=1)

    with django_assert_num_queries(1):
        rows = list(services.category_gaps(since=since))

    assert [(c.pk, c.enquiry_count, c.article_count, c.used_count) for c in rows] == [
        (bare.pk, 3, 0, 0),
        (category.pk, 1, 1, 1),
    ]
    page = client_as("secretariat", language="da").get(reverse("knowledge:gaps"))
    assert page.status_code == 200
    assert "Kategorier uden artikel" in page.content.decode()


# Lists: constant queries ------------------------------------------------


@pytest.mark.parametrize("url", ["knowledge:article-list", "api:article-list"])
def test_article_lists_queries_do_not_grow_with_rows(client_as, personas, category, url):
    client = client_as("agent")
    services.create_article("a0", by=personas["secretariat"], category=category, **VERSION)
    client.get(reverse(url))
    one, _response = _queries(client, reverse(url))
    for n in range(1, 25):
        services.create_article(f"a{n}", by=personas["secretariat"], category=category, **VERSION)

    assert _queries(client, reverse(url))[0] == one


# API --------------------------------------------------------------------


def test_api_new_version_is_an_edit_that_keeps_the_old(client_as, article):
    client = client_as("secretariat")
    url = f"/api/v1/articles/{article.key}/versions/"

    response = client.post(url, VERSION, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["version"] == 3
    versions = client.get(url).json()
    assert [v["version"] for v in versions] == [3, 2, 1]
    detail = client.get(f"/api/v1/articles/{article.key}/").json()
    assert detail["in_force"]["title_en"] == "Lost code card"


def test_api_suggestions_answer_with_articles_and_templates(client_as, article, category):
    response = client_as("agent").get(
        "/api/v1/articles/suggestions/", {"subject": "adgangskode", "category": category.pk}
    )

    assert response.status_code == 200
    assert [a["key"] for a in response.json()["articles"]] == [article.key]


def test_api_article_with_a_cpr_number_is_a_400_naming_the_field(client_as):
    response = client_as("secretariat").post(
        "/api/v1/articles/",
        {"key": "x", **VERSION, "answer_da": "CPR 110682-1449"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "answer_da" in str(response.json())
    assert not ArticleVersion.objects.exists()
