"""Schemathesis with known-bad values in every string of every operation.

The run in test_schemathesis.py draws values at random: with ~10 examples
an operation it never put a NUL into an action's owner, an overflowing date
into received_at or a CPR number into free text, so it could not find the
500s and stored CPR numbers of issue 8. Here the hooks in
tests/api/schemathesis_known_bad.py add, to the schema's example of every
operation, one case per string field (body and query) and known-bad value:
NUL and other control characters, lone surrogates, 10,000 characters, a CPR
number in each separator variant, and out-of-range dates. Checks: no 5xx,
every answer as the schema says, and `known_bad_values_refused` (a NUL,
surrogate or bad date in a body is a 400 naming the field; a CPR number is a
400 naming the field or never comes back in plain text).

The cases are listed, not drawn, so the run is the same every time (the
examples' other fields come from a fixed seed). CI runs it once, in the
PostgreSQL pass (PostgreSQL is where a NUL that slips through is a 500);
alone:
    .venv/bin/python -m pytest -p no:xdist -m fuzz tests/api
KNOWN_BAD_EXTRA="--include-path-regex ^/api/v1/actions/" narrows it to one
app; KNOWN_BAD_OUTPUT=file saves schemathesis' report. docs/testing.md
says what it was shown to catch.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.api import schemathesis_known_bad as hooks
from tests.api.test_schemathesis import SCHEMATHESIS, seed_rows, write_config

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "known_bad_values_refused",
]


@pytest.mark.fuzz
@pytest.mark.once_postgres
@pytest.mark.django_db(transaction=True)
def test_known_bad_values_in_every_string_get_no_5xx_and_no_stored_cpr(
    live_server, taxonomy, support_team, tmp_path
):
    token, rows = seed_rows(taxonomy, support_team)
    # Operations without an example in the schema get one generated, which
    # the hooks copy and poison field by field.
    config = write_config(
        tmp_path / "schemathesis.toml", rows, extra="[phases.examples]\nfill-missing = true\n"
    )
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": hooks.__name__,
        "PYTHONPATH": str(settings.BASE_DIR),
        "KNOWN_BAD_BASE_URL": live_server.url,
        "KNOWN_BAD_TOKEN": token,
    }
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            "examples",
            "--continue-on-failure",
            "--seed",
            "1",
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--request-timeout",
            "10",
            "--no-color",
            *os.environ.get("KNOWN_BAD_EXTRA", "").split(),
        ],
        capture_output=True,
        text=True,
        # Generous: on a shared machine (load 12) it took 5-6 minutes, not the
        # ~70 s of an idle one, and a timeout here is a false alarm.
        timeout=int(os.environ.get("KNOWN_BAD_TIMEOUT", "900")),
        cwd=tmp_path,
        env=env,
        check=False,
    )

    if os.environ.get("KNOWN_BAD_OUTPUT"):
        Path(os.environ["KNOWN_BAD_OUTPUT"]).write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert selected and tested, result.stdout[-2000:]
    assert int(tested.group(1)) == int(selected.group(1)), result.stdout[-2000:]
    if not os.environ.get("KNOWN_BAD_EXTRA"):
        assert int(tested.group(1)) >= 60, result.stdout[-2000:]


def test_the_known_bad_values_are_the_ones_issue_8_found():
    # A guard on the guard: each variant the enquiry subject let through, a
    # NUL, a surrogate, 10,000 characters and the overflowing moments.
    texts = [value for _kind, value in hooks.TEXT]
    for variant in ("110682/1449", "11.06.82-1449", "110682\u20131449", "110682 - 1449"):
        assert variant in texts
    for variant in ("11 06 82 1449", "110682\u200b1449", "110682_1449"):
        assert variant in texts
    assert any("\x00" in t for t in texts) and any("\udfff" in t for t in texts)
    assert "x" * 10_000 in texts
    moments = [value for _kind, value in hooks.MOMENTS]
    assert "9999-12-31T23:59:59+14:00" in moments and "10000-01-01T00:00:00Z" in moments
    assert "0000-01-01" in [value for _kind, value in hooks.DATES]


@pytest.mark.parametrize(
    "answer",
    [
        '{"subject": "110682-1449"}',
        '{"results": [{"note": "Ring til 11 06 82 1449"}]}',
        '{"text": "110682\\u200b1449"}',
        '{"110682_1449": 1}',
        "plain 11.06.82-1449",
    ],
)
def test_a_cpr_number_in_an_answer_is_seen(answer):
    assert hooks.shows_cpr(answer)


@pytest.mark.parametrize(
    "answer",
    ['{"cpr_masked": "110682-xxxx", "phone": "+45 33 12 34 56"}', '{"ids": [110682, 1449]}'],
)
def test_a_masked_cpr_number_is_not_seen(answer):
    assert not hooks.shows_cpr(answer)


@pytest.mark.parametrize(
    ("errors", "field", "named"),
    [
        ('{"owner": ["x"]}', ["owner"], True),
        ('{"new_follow_up.title": ["x"]}', ["new_follow_up", "title"], True),
        ('{"services": ["x"]}', ["services", 0], True),
        ('{"services.0": ["x"]}', ["services", 0], True),
        ('{"theme": ["x"]}', ["owner"], False),
        ('{"detail": "owner"}', ["owner"], False),
        ('{"new_follow_up.owner": ["x"]}', ["new_follow_up", "title"], False),
    ],
)
def test_a_400_names_the_field_only_with_its_key(errors, field, named):
    assert hooks.names_field(errors, field) is named
