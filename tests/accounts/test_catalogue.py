"""The UI speaks Danish by default: the catalogue is complete and used."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE.open("rb") as po:
        return read_po(po)


def test_every_message_has_a_danish_translation(catalogue):
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (message.fuzzy or not all(message.string if message.pluralizable else [message.string]))
    ]

    assert len(catalogue) > 1000
    assert not catalogue.fuzzy, "a fuzzy header keeps `make messages` from compiling it"
    assert untranslated == []


def test_translations_keep_every_placeholder(catalogue):
    # Babel's checks: the same %(name)s placeholders, plural forms complete.
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalogue.check()]

    assert problems == []


def test_pages_are_danish_by_default_and_english_on_request(client_as, settings):
    settings.LANGUAGE_CODE = "da"
    client = client_as("agent")

    danish = client.get(reverse("enquiries:list")).content.decode()
    english = client.get(reverse("enquiries:list"), headers={"accept-language": "en"})

    assert '<html lang="da"' in danish
    assert "<h1>Henvendelser</h1>" in danish
    assert "Gemte filtre" in danish
    assert "<h1>Enquiries</h1>" in english.content.decode()
