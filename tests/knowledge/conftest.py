"""Fixtures for the knowledge base: an article on temporary passwords in
the support queue's first category, with two versions."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from enquiries.models import Category
from knowledge import services
from knowledge.models import Article

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def category(taxonomy):
    return Category.objects.filter(topic__queue=taxonomy["support"]).order_by("pk").first()


@pytest.fixture
def article(personas, category):
    """Version 1 of 2010-07-01; version 2 of 2010-12-06 names nemid.nu."""
    first = services.create_article(
        "midlertidig-adgangskode",
        by=personas["secretariat"],
        category=category,
        valid_from=datetime.datetime(2010, 7, 1, tzinfo=COPENHAGEN),
        title_da="Midlertidig adgangskode",
        body_da="Den midlertidige adgangskode sendes med posten.",
        title_en="Temporary password",
        body_en="The temporary password is sent by post.",
    )
    services.publish_article_version(
        first.article,
        by=personas["secretariat"],
        valid_from=datetime.datetime(2010, 12, 6, tzinfo=COPENHAGEN),
        title_da="Midlertidig adgangskode",
        body_da="Nøglekortet og den midlertidige adgangskode kommer i to breve.",
        answer_da="Du får nøglekortet og adgangskoden i to breve. Se nemid.nu.",
        title_en="Temporary password",
        body_en="The code card and the temporary password come in two letters.",
        answer_en="You get the code card and the password in two letters. See nemid.nu.",
    )
    return Article.objects.get(pk=first.article_id)
