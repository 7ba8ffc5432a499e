"""The UI speaks Danish by default: the catalogue is complete and used."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from enquiries.models import Citizen, Enquiry

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"


# What makemessages must not read: the venv, data, tests and tooling.
NOT_SOURCE = {".venv", ".git", "var", "tests", "benchmarks", "staticfiles", "static", "docs"}


def read(path: Path):
    with path.open("rb") as po:
        return read_po(po)


def untranslated(catalogue) -> list:
    return [
        message.id
        for message in catalogue
        if message.id
        and (message.fuzzy or not all(message.string if message.pluralizable else [message.string]))
    ]


@pytest.fixture(scope="module")
def catalogue():
    return read(CATALOGUE)


def test_every_message_has_a_danish_translation(catalogue):
    assert len(catalogue) > 1000
    assert not catalogue.fuzzy, "a fuzzy header keeps `make messages` from compiling it"
    assert untranslated(catalogue) == []


def test_the_catalogue_holds_every_string_of_the_source(tmp_path, catalogue):
    # makemessages on a copy, so the checkout is left as it is.
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        base, copy, ignore=lambda d, names: NOT_SOURCE & set(names) if d == str(base) else []
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )

    fresh = read(copy / "locale" / "da" / "LC_MESSAGES" / "django.po")

    missing = {m.id for m in fresh if m.id} - {m.id for m in catalogue if m.id}
    assert not missing, f"run makemessages and translate (docs/architecture.md): {missing}"
    assert untranslated(fresh) == []


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


def test_the_language_switch_turns_the_pages_english_and_back(client_as, settings):
    settings.LANGUAGE_CODE = "da"
    client = client_as("agent")
    page = reverse("enquiries:list")

    client.post(reverse("set_language"), {"language": "en", "next": page})
    english = client.get(page).content.decode()
    client.post(reverse("set_language"), {"language": "da", "next": page})
    danish = client.get(page).content.decode()

    assert '<html lang="en"' in english
    assert "<h1>Enquiries</h1>" in english
    assert "<h1>Henvendelser</h1>" in danish


def test_bad_input_is_answered_in_danish_naming_the_field(client_as, taxonomy, settings):
    settings.LANGUAGE_CODE = "da"
    data = {
        "queue": taxonomy["support"].pk,
        "subject": "",
        "priority": "2",
        "channel": "phone",
        "received_at": "2010-11-09T10:30",
        "language": "da",
        "citizen_choice": "new",
        "citizen-name": "Birgitte Larsen",
        "citizen-cpr": "320252-1234",
    }

    response = client_as("agent").post(reverse("enquiries:create"), data)

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["subject"] == ["Dette felt er påkrævet."]
    page = response.content.decode()
    assert "CPR-nummeret begynder ikke med en gyldig fødselsdato." in page
    assert 'value="Birgitte Larsen"' in page
    assert not Enquiry.objects.exists()
    assert not Citizen.objects.exists()
