"""The public help pages (/help/): the articles flagged public, shown to
anyone in Danish or English, only their version in force, cacheable like
the status page, and readable (landmarks, language, headings)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from knowledge.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(article):
    Article.objects.filter(pk=article.pk).update(is_public=True)
    return article


def _get(url: str, **headers):
    return Client().get(url, headers=headers)


def test_a_public_article_shows_its_version_in_force_in_danish_and_english(public):
    url = reverse("help:article", kwargs={"key": public.key})

    danish = _get(url).content.decode()
    english = _get(url + "?lang=en").content.decode()

    assert '<html lang="da">' in danish and '<html lang="en">' in english
    assert "Hjælp til NemID" in danish and "Help with NemID" in english
    assert "Senest gennemgået" in danish and "Last reviewed" in english
    assert "Nøglekortet og den midlertidige adgangskode kommer i to breve." in danish
    assert "The code card and the temporary password come in two letters." in english
    # The staff's answer text and the first version are never shown.
    assert "Se nemid.nu" not in danish
    assert "sendes med posten" not in danish


def test_a_version_not_yet_in_force_is_not_shown(public, personas):
    services.publish_article_version(
        public,
        by=personas["secretariat"],
        valid_from=timezone.now() + datetime.timedelta(days=2),
        title_da="Ny titel i morgen",
        body_da="Ny tekst fra i overmorgen.",
        title_en="New title",
        body_en="New text.",
    )

    page = _get(reverse("help:article", kwargs={"key": public.key})).content.decode()
    index = _get(reverse("help:index")).content.decode()

    assert "Ny tekst" not in page and "Ny titel" not in index
    assert "Midlertidig adgangskode" in index


def test_a_public_article_without_a_version_in_force_is_not_found(personas, category):
    services.create_article(
        "kommer-snart",
        by=personas["secretariat"],
        is_public=True,
        valid_from=timezone.now() + datetime.timedelta(days=1),
        title_da="Kommer snart",
        body_da="Tekst.",
        title_en="Coming soon",
        body_en="Text.",
    )

    assert _get(reverse("help:article", kwargs={"key": "kommer-snart"})).status_code == 404
    assert "Kommer snart" not in _get(reverse("help:index")).content.decode()


def test_the_help_pages_may_be_cached_set_no_cookie_and_answer_304(public):
    url = reverse("help:article", kwargs={"key": public.key})

    first = _get(url)
    again = _get(url, if_none_match=first["ETag"])
    english = _get(url + "?lang=en")

    assert first["Cache-Control"] == "public, max-age=60"
    assert first["Content-Language"] == "da"
    # As the status page: no cookie is set (Vary: Cookie stays, from the
    # language middleware reading the user, so a visitor without one shares).
    assert not first.cookies
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    assert english["ETag"] != first["ETag"]


def test_the_etag_changes_when_an_article_is_hidden_or_a_version_comes_into_force(public, personas):
    index = reverse("help:index")
    first = _get(index)["ETag"]
    services.publish_article_version(
        public,
        by=personas["secretariat"],
        title_da="Midlertidig adgangskode",
        body_da="Ny tekst.",
        title_en="Temporary password",
        body_en="New text.",
    )
    second = _get(index)
    Article.objects.filter(pk=public.pk).update(is_public=False)
    third = _get(index, if_none_match=second["ETag"])

    assert second["ETag"] != first
    assert third.status_code == 200 and "Midlertidig" not in third.content.decode()


def test_the_help_index_costs_the_same_queries_for_1_and_25_articles(public, personas):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _get(reverse("help:index")).status_code == 200
        return len(captured)

    one = queries()
    for n in range(24):
        services.create_article(
            f"vejledning-{n}",
            by=personas["secretariat"],
            is_public=True,
            title_da=f"Vejledning {n}",
            body_da="Tekst.",
            title_en=f"Guide {n}",
            body_en="Text.",
        )

    assert queries() == one
    assert _get(reverse("help:index")).content.decode().count('<li><a href="/help/') == 25


def test_the_help_pages_are_readable_without_a_browser(public):
    for url in (reverse("help:index"), reverse("help:article", kwargs={"key": public.key})):
        html = _get(url).content.decode()

        assert html.count("<h1") == 1
        assert '<main id="main"' in html and 'href="#main"' in html
        assert 'hreflang="en"' in html and 'lang="en"' in html
        assert not re.search(r"<script|<form|csrfmiddlewaretoken", html)
