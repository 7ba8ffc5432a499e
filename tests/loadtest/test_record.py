"""`make loadtest --record` files each table under "Recorded runs"."""

from benchmarks.load.__main__ import RECORD_HEADING, record


def test_a_recorded_table_goes_at_the_end_of_its_section_not_of_the_file(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        f"# Benchmarks\n\n{RECORD_HEADING}\n\n#### first run\n\n## Later section\n\ntext\n",
        encoding="utf-8",
    )

    record("#### second run\n\n| a |\n", doc)

    assert doc.read_text(encoding="utf-8") == (
        f"# Benchmarks\n\n{RECORD_HEADING}\n\n#### first run\n\n#### second run\n\n| a |\n"
        "\n## Later section\n\ntext\n"
    )


def test_a_section_at_the_end_of_the_file_takes_the_table_too(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\n{RECORD_HEADING}\n", encoding="utf-8")

    record("#### run\n", doc)

    assert doc.read_text(encoding="utf-8") == f"# Benchmarks\n\n{RECORD_HEADING}\n\n#### run\n"
