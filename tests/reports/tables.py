"""Reading the report's tables back out of HTML and PDF text."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id") or "", [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> dict[str, list[list[str]]]:
    """{table id: rows of cell texts, header row first}."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text with its layout (poppler's pdftotext; `make browser` installs it)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is not installed: run `make browser`")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def pdf_rows(text: str, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (topic, share) pairs found on one line each, in the order asked."""
    found = []
    for topic, _share in rows:
        match = re.search(rf"^\s*{re.escape(topic)}\s+(\d+,\d%)\s*$", text, re.MULTILINE)
        found.append((topic, match.group(1) if match else None))
    return found
