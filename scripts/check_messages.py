"""Fail when the source has messages the Danish catalogue lacks.

Runs `makemessages` with the project's options in a temporary copy of the
tree and compares the extracted template (.pot) with
locale/da/LC_MESSAGES/django.po. The working tree is never written to.
Exit status 1 lists the missing msgids; fix with

    .venv/bin/python manage.py makemessages -l da --no-location --no-obsolete \
        --ignore=.venv --ignore=var --ignore=tests --ignore=staticfiles \
        --ignore=benchmarks

then translate the new entries.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale/da/LC_MESSAGES/django.po")
IGNORED = [".venv", "var", "tests", "staticfiles", "benchmarks"]
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "da",
    "--no-location",
    "--no-obsolete",
    "--keep-pot",
    *(f"--ignore={name}" for name in IGNORED),
]
# Not copied: what makemessages ignores anyway, plus caches and VCS data.
NOT_COPIED = shutil.ignore_patterns(
    *IGNORED, ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "*.mo", "node_modules"
)

Key = tuple[str | None, str | tuple[str, ...]]


def _keys(path: Path) -> set[Key]:
    # A .pot's header has placeholder plural forms that babel cannot parse.
    text = path.read_bytes().replace(b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2;")
    catalog = read_po(io.BytesIO(text))
    keys: set[Key] = set()
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else tuple(message.id)
        keys.add((message.context, msgid))
    return keys


def extracted_keys(root: Path = ROOT) -> set[Key]:
    """The msgids makemessages extracts from `root`, without touching it."""
    with tempfile.TemporaryDirectory(prefix="check-messages-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(root, copy, ignore=NOT_COPIED, symlinks=True)
        result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", *MAKEMESSAGES],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"makemessages failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return _keys(copy / "locale" / "django.pot")


def missing_msgids(root: Path = ROOT) -> list[Key]:
    """Msgids in the source of `root` that its Danish catalogue lacks."""
    return sorted(extracted_keys(root) - _keys(root / CATALOGUE), key=repr)


def main() -> int:
    missing = missing_msgids()
    if not missing:
        print(f"{CATALOGUE}: every msgid in the source is in the catalogue.")
        return 0
    print(f"{CATALOGUE} lacks {len(missing)} msgid(s) found in the source:", file=sys.stderr)
    for context, msgid in missing:
        text = " | ".join(msgid) if isinstance(msgid, tuple) else msgid
        prefix = f"[{context}] " if context else ""
        print(f"  {prefix}{text!r}", file=sys.stderr)
    print(
        "Run makemessages (see scripts/check_messages.py) and translate them.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
