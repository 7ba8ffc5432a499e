"""Which attachment files are kept, recognised by their content, not names.

`filetype` reads the first bytes (magic numbers); a file's name and the
Content-Type its sender declared are ignored. Plain text has no magic
number: it is accepted when it decodes and holds no control characters.
"""

from __future__ import annotations

import filetype
from django.utils.translation import gettext_lazy as _

# The MIME types kept, with a label for the refusal message.
ALLOWED = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/tiff": "TIFF",
    "image/heic": "HEIC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "application/vnd.oasis.opendocument.text": "OpenDocument (ODT)",
    "text/plain": _("Text"),
}
# Control characters other than tab, newline, form feed and carriage return
# do not occur in text files.
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


def allowed_labels() -> str:
    return ", ".join(str(label) for label in ALLOWED.values())


def detect(data: bytes) -> str | None:
    """The MIME type the bytes are, if it is one we keep; else None."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED else None
    if _is_text(data):
        return "text/plain"
    return None


def _is_text(data: bytes) -> bool:
    sample = data[:65536]
    if any(byte in _BINARY_BYTES for byte in sample):
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False
