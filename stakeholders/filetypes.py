"""Which attachment files are accepted, recognised by their content.

A file is accepted only when its extension is on the allow-list and its
bytes are what that extension promises: a renamed program or HTML page is
refused whatever it is called. Office files are ZIP archives; only their
table of contents is read, never the compressed members, so a ZIP bomb
costs nothing.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str | Promise


PDF = FileType(".pdf", "application/pdf", "PDF")
DOCX = FileType(
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
XLSX = FileType(
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (XLSX)",
)
ODT = FileType(".odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)")
TXT = FileType(".txt", "text/plain", _("Text (TXT)"))
PNG = FileType(".png", "image/png", "PNG")
JPEG = FileType(".jpg", "image/jpeg", "JPEG")

ALLOWED_BY_EXTENSION: dict[str, FileType] = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".odt": ODT,
    ".txt": TXT,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
}

# Control characters other than tab, newline, form feed and carriage return
# do not occur in text files; their presence means a binary file.
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


def allowed_labels() -> str:
    return ", ".join(dict.fromkeys(str(t.label) for t in ALLOWED_BY_EXTENSION.values()))


def _zip_names(stream: IO[bytes]) -> set[str] | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _odt_mimetype(stream: IO[bytes]) -> bytes:
    try:
        with zipfile.ZipFile(stream) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 100:
                return b""
            return archive.read(info).strip()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return b""


def _is_text(stream: IO[bytes]) -> bool:
    data = stream.read()
    if any(byte in _BINARY_BYTES for byte in data):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_matches(file_type: FileType, stream: IO[bytes]) -> bool:
    """Whether the bytes in `stream` are a file of `file_type`."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if file_type is PDF:
            return head.startswith(b"%PDF-")
        if file_type is PNG:
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if file_type is JPEG:
            return head.startswith(b"\xff\xd8\xff")
        if file_type is TXT:
            return _is_text(stream)
        if not head.startswith(b"PK\x03\x04"):
            return False
        if file_type is ODT:
            return _odt_mimetype(stream) == ODT.content_type.encode()
        names = _zip_names(stream)
        if not names or "[Content_Types].xml" not in names:
            return False
        prefix = "word/" if file_type is DOCX else "xl/"
        return any(name.startswith(prefix) for name in names)
    finally:
        stream.seek(0)
