"""The Danish catalogue is complete, keeps every placeholder, and the pages use it."""

import html
import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from accounts.context_processors import NAVIGATION
from scripts import check_messages
from tests.factories import ActionFactory, CitizenFactory, EnquiryFactory, ThemeFactory

# Runs once in CI, in the SQLite pass: the database does not change what it tests.
pytestmark = pytest.mark.once_sqlite

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"
# Named and positional %-placeholders (and %%), and str.format/JS {names}.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*[sdif]|\{\w*\}")


def _catalogue(text: bytes | None = None):
    return read_po(io.BytesIO(CATALOGUE.read_bytes() if text is None else text))


def _entries(catalog):
    return [message for message in catalog if message.id]


def _pairs(message) -> list[tuple[str, str]]:
    """(English, Danish) for each form; Danish plural forms follow English's (n != 1)."""
    if isinstance(message.id, str):
        return [(message.id, message.string or "")]
    singular, plural = message.id
    forms = [form or "" for form in message.string]
    return [(singular, forms[0] if forms else "")] + [(plural, form) for form in forms[1:]]


def untranslated(catalog) -> list[str]:
    """Entries with an empty form or a fuzzy flag."""
    bad = []
    for message in _entries(catalog):
        if message.fuzzy or any(not danish.strip() for _english, danish in _pairs(message)):
            bad.append(str(message.id))
    return bad


def placeholder_mismatches(catalog) -> list[tuple[str, str]]:
    """(English, Danish) pairs whose placeholders differ."""
    return [
        (english, danish)
        for message in _entries(catalog)
        for english, danish in _pairs(message)
        if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(danish))
    ]


def test_the_danish_header_declares_danish_plurals():
    catalog = _catalogue()

    assert catalog.locale.language == "da"
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    assert not catalog.fuzzy


def test_every_danish_entry_is_translated_and_none_is_fuzzy():
    catalog = _catalogue()

    assert len(_entries(catalog)) > 1000
    assert untranslated(catalog) == []


def test_every_danish_translation_keeps_the_placeholders_of_its_msgid():
    assert placeholder_mismatches(_catalogue()) == []


def test_the_checks_catch_an_empty_a_fuzzy_and_a_broken_entry():
    broken = (
        CATALOGUE.read_bytes()
        + b'\nmsgid "Probe empty"\nmsgstr ""\n'
        + b'\n#, fuzzy\nmsgid "Probe fuzzy"\nmsgstr "Sonde"\n'
        + b'\nmsgid "Hello %(name)s and {count}"\nmsgstr "Hej %(navn)s og {antal}"\n'
        + b'\nmsgid "One %(n)s"\nmsgid_plural "Many %(n)s"\n'
        + b'msgstr[0] "En %(n)s"\nmsgstr[1] "Mange"\n'
    )
    catalog = _catalogue(broken)

    assert untranslated(catalog) == ["Probe empty", "Probe fuzzy"]
    assert placeholder_mismatches(catalog) == [
        ("Hello %(name)s and {count}", "Hej %(navn)s og {antal}"),
        ("Many %(n)s", "Mange"),
    ]


def test_the_navigation_labels_are_distinct_in_danish():
    with translation.override("da"):
        labels = [str(label) for label, _url, _perm in NAVIGATION]

    assert len(set(labels)) == len(labels)
    assert "Overblik" in labels


def test_check_messages_lists_a_source_msgid_the_catalogue_lacks(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, root, ignore=check_messages.NOT_COPIED, symlinks=True)
    probe = root / "templates" / "probe.html"
    probe.write_text('{% load i18n %}{% translate "A probe nobody has translated" %}\n')
    before = (root / check_messages.CATALOGUE).read_bytes()

    missing = check_messages.missing_msgids(root)

    assert missing == [(None, "A probe nobody has translated")]
    assert (root / check_messages.CATALOGUE).read_bytes() == before
    assert not (root / "locale" / "django.pot").exists()


# What a Danish page must not show: English navigation and the English of
# every multi-word msgid whose Danish differs (placeholders left out).
ENGLISH_NAV = ["Dashboard", "Enquiries", "Log enquiry", "Actions", "Log out", "Report"]


def _visible_text(content: str) -> str:
    content = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", content)
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', content)
    text = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", html.unescape(" ".join([text, *attributes])))


def _english_phrases() -> list[str]:
    phrases = set()
    for message in _entries(_catalogue()):
        for english, danish in _pairs(message):
            if " " in english and english != danish and not PLACEHOLDER.search(english):
                phrases.add(english)
    return sorted(phrases)


@pytest.fixture
def danish_pages(taxonomy, personas):
    category = taxonomy["support"].topics.first().categories.first()
    enquiry = EnquiryFactory(
        category=category, subject="Har ikke fået koden", assignee=personas["agent"]
    )
    ActionFactory(title="Informationskampagne om NemID", theme=ThemeFactory(code="support"))
    citizen = CitizenFactory(name="Karen Jensen")
    return {
        "enquiry list": ("/enquiries/", ["Henvendelser", "Gemte filtre", "Ryd filtre"]),
        "log enquiry": ("/enquiries/new/", ["Registrér henvendelse", "Hvem ringer", "Overskrift"]),
        "enquiry detail": (
            f"/enquiries/{enquiry.reference}/",
            ["Tidslinje", "Tilføj note", "Ansvarlig medarbejder"],
        ),
        "action list": ("/actions/", ["Handlinger", "Alle handlinger", "Ansvarlig organisation"]),
        "dashboard": ("/dashboards/", ["Overblik", "Nøgletal", "Emneandele", "Samlet andel (%)"]),
        "report": ("/reports/", ["Rapport ud fra data", "Vis rapport", "Brugernes erfaringer"]),
        "data requests": ("/privacy/", ["Indsigt og sletning", "Find borgeren"]),
        "data held": (
            f"/privacy/citizens/{citizen.pk}/",
            ["Registrerede oplysninger om Karen Jensen", "Hent udtræk", "Begrundelse"],
        ),
        "erasure": (
            f"/privacy/citizens/{citizen.pk}/erase/",
            ["Slet borgerens oplysninger", "Bevaret, som loven og statistikken kræver"],
        ),
    }


def test_the_main_pages_are_danish_throughout(client_as, danish_pages):
    client = client_as("admin", language="da")
    english = [re.compile(rf"(?<!\w){re.escape(p)}(?!\w)") for p in _english_phrases()]
    nav = [re.compile(rf">\s*{re.escape(label)}\s*<") for label in ENGLISH_NAV]

    for page, (url, danish_words) in danish_pages.items():
        response = client.get(url)
        assert response.status_code == 200, page
        content = response.content.decode()
        text = _visible_text(content)

        assert '<html lang="da">' in content, page
        for word in ["Overblik", "Henvendelser", "Registrér henvendelse", "Log ud", *danish_words]:
            assert word in text, (page, word)
        assert [p.pattern for p in nav if p.search(content)] == [], page
        assert [p.pattern for p in english if p.search(text)] == [], page
