"""The database `make setup` leaves, at a small scale, for module fixtures.

The commands are read from the Makefile's `setup` recipe, so a test follows
the recipe when it changes. `migrate` is skipped (the test database is
migrated) and the 2010 profile is loaded with 1,000 support enquiries, the
smallest the generator takes: the same shape (126 ministry letters with
several topics each, the press items, the report's shares, history closed)
in seconds instead of the full 216,000's minutes.
"""

from __future__ import annotations

import re
import shlex
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"
SUPPORT_COUNT = 1000
SMALL = ["--support-count", str(SUPPORT_COUNT), "--no-progress"]
KEYS = {
    "CPR_ENCRYPTION_KEYS": ["lI2mu-nAOvWE2XyjO8hrqr8XQS9sz8oGBJtkpKgCyUU="],
    "CPR_HASH_KEY": "test-hash-key",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


def setup_commands() -> list[list[str]]:
    """The `manage.py` commands of `make setup`, in order, as argument lists."""
    recipe = re.search(r"^setup:.*\n((?:\t.*\n)+)", MAKEFILE.read_text(), re.MULTILINE)
    assert recipe, "no setup target in the Makefile"
    commands = []
    for line in recipe.group(1).splitlines():
        words = shlex.split(line.strip())
        if "manage.py" in words:
            commands.append(words[words.index("manage.py") + 1 :])
    return commands


def run_make_setup(*, times: int = 1) -> str:
    """Run the recipe's commands `times` times (the small profile); their output."""
    out = StringIO()
    for _time in range(times):
        for name, *args in setup_commands():
            if name == "migrate":
                continue
            if name == "generate_demo_data":
                args = [*args, *SMALL]
            call_command(name, *args, stdout=out, stderr=out)
    return out.getvalue()


def loaded_database(django_db_blocker, *, times: int = 1):
    """Generator for a module fixture: the set-up database, rolled back after."""
    with django_db_blocker.unblock(), override_settings(**KEYS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_make_setup(times=times)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
