"""`manage.py build_report`: HTML, PDF and text from the data."""

import io

import pytest
from django.core.management import CommandError, call_command

from analytics.models import TopicShare
from tests.reports.data import EXPECTED
from tests.reports.tables import html_tables, pdf_rows, pdf_text

PERIOD = ["--start", "2010-07-01", "--end", "2010-10-31"]


def test_the_command_writes_the_html_file(autumn, tmp_path):
    path = tmp_path / "report.html"

    call_command("build_report", *PERIOD, "--format", "html", "--output", str(path))

    tables = html_tables(path.read_text(encoding="utf-8"))
    assert [tuple(row) for row in tables["shares-support"][1:]] == EXPECTED["support"]
    assert [tuple(row) for row in tables["shares-ministry"][1:]] == EXPECTED["ministry"]


def test_the_command_writes_the_pdf_file(autumn, tmp_path):
    path = tmp_path / "report.pdf"

    call_command("build_report", *PERIOD, "--format", "pdf", "--output", str(path))

    text = pdf_text(path.read_bytes(), tmp_path)
    assert pdf_rows(text, EXPECTED["support"]) == EXPECTED["support"]
    assert pdf_rows(text, EXPECTED["ministry"]) == EXPECTED["ministry"]


def test_a_pdf_without_output_goes_to_a_named_file(autumn, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    call_command("build_report", *PERIOD, "--format", "pdf", stderr=io.StringIO())

    assert (tmp_path / "brugeranalyse-2010-07-01-2010-10-31.pdf").read_bytes()[:4] == b"%PDF"


def test_the_text_format_prints_both_tables(autumn):
    out = io.StringIO()

    call_command("build_report", *PERIOD, "--format", "text", stdout=out)

    lines = [" ".join(line.split()) for line in out.getvalue().splitlines()]
    for code in ("support", "ministry"):
        for topic, share in EXPECTED[code]:
            assert f"{topic} {share}" in lines
    assert (
        "Det samlede antal henvendelser og presseomtaler i perioden juli-oktober har været 2.300."
        in lines
    )


def test_rebuild_snapshots_refreshes_the_period_first(autumn):
    out = io.StringIO()

    call_command("build_report", *PERIOD, "--rebuild-snapshots", "--format", "text", stdout=out)

    assert TopicShare.objects.filter(queue__code="support", period_start="2010-07-01").exists()
    assert "Beregnet fra statistikkens dagstal" in out.getvalue()
    assert "Beregnet direkte" not in out.getvalue()
    # Words for the reader, not the name of a code module.
    assert "analytics" not in out.getvalue()
    assert "øjebliksbillede" not in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2010-10-31", "--end", "2010-07-01"], "--end"),
        (["--start", "juli", "--end", "2010-10-31"], "--start"),
        (["--start", "2010-07-01", "--end", "2010-10-32"], "--end"),
        ([*PERIOD, "--format", "pdf", "--output", "-"], "standard output"),
    ],
)
def test_bad_arguments_are_a_clear_command_error(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args)


def test_an_unknown_format_is_refused(db):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("build_report", *PERIOD, "--format", "docx")
