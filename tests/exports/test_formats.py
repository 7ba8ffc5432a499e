"""Danish cell formats and the formula guard, value by value."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from analytics.periods import REPORTING_TZ
from exports.formats import csv_value, neutralise, xlsx_value
from exports.writers import csv_stream, xlsx_stream


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+45 33 12 45 78", "'+45 33 12 45 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("Midlertidig adgangskode", "Midlertidig adgangskode"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_that_could_run_as_a_formula_gets_an_apostrophe(text, written):
    assert neutralise(text) == written
    assert csv_value(text) == written


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (216000, "216000"),
        (-3, "-3"),
        (Decimal("30.9"), "30,9"),
        (Decimal("-3.5"), "-3,5"),
        (Decimal("100.00"), "100,00"),
        (datetime.date(2010, 7, 1), "01-07-2010"),
        # 22:15 UTC is a quarter past midnight the next day in Copenhagen.
        (datetime.datetime(2010, 10, 31, 22, 15, tzinfo=datetime.UTC), "31-10-2010 23:15"),
        (datetime.datetime(2010, 7, 31, 22, 15, tzinfo=datetime.UTC), "01-08-2010 00:15"),
        (None, ""),
        (True, "Yes"),
    ],
)
def test_csv_numbers_and_dates_are_danish(value, written):
    assert csv_value(value) == written


def test_negative_numbers_stay_numbers_in_xlsx():
    assert xlsx_value(-3) == (-3, "#,##0", "n")
    assert xlsx_value(Decimal("-3.5")) == (-3.5, "0.0", "n")
    assert xlsx_value("-3.5") == ("'-3.5", None, "s")


def test_xlsx_moments_are_copenhagen_time_without_zone():
    moment = datetime.datetime(2010, 7, 31, 22, 15, tzinfo=datetime.UTC)

    value, number_format, data_type = xlsx_value(moment)

    assert value == datetime.datetime(2010, 8, 1, 0, 15)
    assert (number_format, data_type) == ("dd-mm-yyyy hh:mm", "d")


def test_csv_stream_starts_with_a_bom_and_separates_with_semicolons():
    content = b"".join(csv_stream(["Emne", "Andel"], [["Nøglekort; kort", Decimal("15.0")]]))

    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text == 'Emne;Andel\r\n"Nøglekort; kort";15,0\r\n'


def test_xlsx_stream_types_cells_and_never_writes_a_formula():
    rows = [
        ["=1+1", -4, Decimal("30.9"), datetime.date(2010, 7, 1), "#N/A", "\x01=2+2"],
        [
            None,
            0,
            Decimal("0.0"),
            datetime.datetime(2010, 7, 1, 8, 30, tzinfo=REPORTING_TZ),
            "x",
            "",
        ],
    ]

    content = b"".join(xlsx_stream(["a", "b", "c", "d", "e", "f"], rows, title="Emner: [test]"))

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Emner test"
    first = list(sheet[2])
    assert [c.value for c in first] == [
        "'=1+1",
        -4,
        30.9,
        datetime.datetime(2010, 7, 1),
        "#N/A",
        "'=2+2",
    ]
    assert [c.data_type for c in first] == ["s", "n", "n", "d", "s", "s"]
    assert [c.number_format for c in first[1:4]] == ["#,##0", "0.0", "dd-mm-yyyy"]
    assert sheet["D3"].value == datetime.datetime(2010, 7, 1, 8, 30)
    assert sheet["D3"].number_format == "dd-mm-yyyy hh:mm"
    assert sheet["A1"].font.bold
