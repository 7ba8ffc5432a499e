"""The seed data files: each says what it holds, and the readers see no notes."""

import json

import pytest

from seed.files import DATA, read

FILES = sorted(path.name for path in DATA.glob("*.json"))


def test_the_seed_app_has_its_data_files():
    assert "taxonomy.json" in FILES
    assert "report_actions.json" in FILES


@pytest.mark.parametrize("name", FILES)
def test_every_data_file_is_utf8_json_with_a_note_on_its_source(name):
    raw = json.loads((DATA / name).read_text(encoding="utf-8"))

    assert raw["_about"].strip()
    assert not any(key.startswith("_") for key in read(name))


def test_a_reader_may_change_what_it_reads_without_changing_the_next_read():
    first = read("report_surveys.json")
    first["surveys"].clear()

    assert read("report_surveys.json")["surveys"]
