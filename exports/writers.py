"""Streaming CSV and XLSX writers and the download response around them.

Both take the column headers and an iterable of rows (lists of values) and
return a generator of bytes, so the response streams while the rows are
still being read from the database in chunks:

- CSV: UTF-8 with a byte-order mark and `;` between fields, what Danish
  Excel opens without an import dialogue; sent a few hundred rows at a time.
- XLSX: openpyxl's write-only mode, which writes each row to a temporary
  file as it comes; the finished workbook is then sent in 64 KiB pieces.

The generators run after the view has returned, so they set the language
themselves: exports are always in Danish.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from exports.formats import csv_value, xlsx_value

EXPORT_LANGUAGE = "da"
CSV_ROWS_PER_PIECE = 500
XLSX_PIECE_BYTES = 64 * 1024
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


class _Line:
    """A file-like target for csv.writer that hands back what it wrote."""

    def write(self, text: str) -> str:
        return text


def csv_stream(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    with translation.override(EXPORT_LANGUAGE):
        writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
        yield ("\ufeff" + writer.writerow([str(h) for h in headers])).encode()
        piece: list[str] = []
        for row in rows:
            piece.append(writer.writerow([csv_value(value) for value in row]))
            if len(piece) >= CSV_ROWS_PER_PIECE:
                yield "".join(piece).encode()
                piece = []
        if piece:
            yield "".join(piece).encode()


def _sheet_title(title: str) -> str:
    """At most 31 characters, none of those a sheet name may not hold."""
    return re.sub(r"[\\/*?:\[\]]", "", ILLEGAL_CHARACTERS_RE.sub("", str(title)))[:31] or "Data"


def _cell(sheet, value: Any) -> WriteOnlyCell:
    value, number_format, data_type = xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if data_type == "s":
        # Never a formula or an error code, whatever the text looks like.
        cell.data_type = "s"
    return cell


def xlsx_stream(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Data",
    widths: Sequence[int] | None = None,
) -> Iterator[bytes]:
    with translation.override(EXPORT_LANGUAGE):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_sheet_title(title))
        for index, width in enumerate(widths or [], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = _cell(sheet, str(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
        with tempfile.TemporaryFile() as target:
            workbook.save(target)
            target.seek(0)
            while piece := target.read(XLSX_PIECE_BYTES):
                yield piece


def export_response(
    fmt: str,
    *,
    filename: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str = "Data",
    widths: Sequence[int] | None = None,
) -> StreamingHttpResponse:
    """A download of the rows as `fmt` ("csv" or "xlsx"), streamed.

    `filename` is ASCII without extension; the time of the export is added.
    """
    if fmt == "csv":
        content = csv_stream(headers, rows)
    else:
        content = xlsx_stream(headers, rows, title=title, widths=widths)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    # Exports can name citizens: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
