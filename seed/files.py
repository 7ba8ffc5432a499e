"""Reading the data files in seed/data/.

Each file is UTF-8 JSON whose `_about` key says what it holds and where it
comes from; keys starting with `_` are notes, never data.
"""

from __future__ import annotations

import copy
import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


@cache
def _read(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def read(name: str) -> dict[str, Any]:
    """The data of `seed/data/<name>`, without its notes; a fresh copy each
    call, so a loader may change what it gets."""
    data = _read(name)
    return copy.deepcopy({k: v for k, v in data.items() if not k.startswith("_")})


def date(value: str) -> datetime.date:
    """An ISO date of a data file."""
    return datetime.date.fromisoformat(value)


def optional_date(value: str | None) -> datetime.date | None:
    """An ISO date of a data file, or None where the file has none."""
    return None if value is None else date(value)
