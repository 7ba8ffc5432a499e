"""The configured cache is reached only through nemid_cases.caching.

That module passes a failing cache by (Redis stopped: a read finds nothing,
a write or delete keeps nothing, each logged). A direct call elsewhere
answered 500 with Redis away (the incident banner, the public feeds, the
API throttles, an incident's on-commit delete, each found one at a time);
this walk fails on the next one.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIRECT = re.compile(r"from django\.core\.cache import|django\.core\.cache\.cache\b|\bcaches\[")
SKIPPED = {".venv", "tests", "node_modules", "var", "staticfiles"}


def test_no_module_but_the_guard_calls_the_cache_directly():
    direct = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not SKIPPED & set(path.relative_to(ROOT).parts)
        and DIRECT.search(path.read_text(encoding="utf-8"))
    ]

    assert direct == ["nemid_cases/caching.py"]
