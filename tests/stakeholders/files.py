"""Small real files of every accepted type, and some that must be refused."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def _zip(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first:
            archive.writestr(stored_first, members.pop(stored_first), zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"},
    stored_first="mimetype",
)
TXT_UTF8 = "Referat fra mødet med Ældre Sagen.\n".encode()
TXT_CP1252 = "Referat fra mødet med Ældre Sagen.\r\n".encode("cp1252")
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
PLAIN_ZIP = _zip({"notes.txt": b"hello"})

GOOD = [
    ("referat.pdf", PDF, "application/pdf"),
    ("billede.png", PNG, "image/png"),
    ("foto.jpg", JPEG, "image/jpeg"),
    ("foto.JPEG", JPEG, "image/jpeg"),
    (
        "notat.docx",
        DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("tal.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("notat.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("referat.txt", TXT_UTF8, "text/plain"),
    ("gammel.txt", TXT_CP1252, "text/plain"),
]

BAD = [
    ("side.html", HTML),
    ("program.exe", EXE),
    ("falsk.pdf", HTML),
    ("falsk.png", PDF),
    ("falsk.docx", PLAIN_ZIP),
    ("falsk.xlsx", DOCX),
    ("falsk.odt", DOCX),
    ("binaer.txt", EXE),
    ("uden-endelse", PDF),
]


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
