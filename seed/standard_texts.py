"""The standard texts the product itself uses, so it works out of the box.

`load_standard_texts()` (run by `manage.py load_reference_data`) writes
version 1 of each code in seed/data/standard_texts.json that has no version
yet, through `notices.services.ensure_standard_text`; a code with any
version is left alone, so the loader is idempotent and never overrides what
the secretariat wrote.
"""

from __future__ import annotations

from notices.services import ensure_standard_text
from seed.files import read

# (code, kind, Danish, English)
STANDARD_TEXTS = [
    (text["code"], text["kind"], text["text_da"], text["text_en"])
    for text in read("standard_texts.json")["texts"]
]


def load_standard_texts() -> int:
    """Version 1 of every text in STANDARD_TEXTS that is missing; how many."""
    return sum(
        ensure_standard_text(code, kind=kind, text_da=da, text_en=en)[1]
        for code, kind, da, en in STANDARD_TEXTS
    )
