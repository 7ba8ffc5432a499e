"""Schemathesis against a live server: no 5xx, responses as the schema says.

Runs once, with a fixed seed and few examples per operation, against
pytest-django's live_server (a transactional database, so the server thread
sees the rows made here), authenticated with a token.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from enquiries import services
from tests.factories import CitizenFactory, UserFactory

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, taxonomy, support_team, tmp_path
):
    # A team lead reaches every operation, the CPR reveal included.
    fuzzer = UserFactory(username="fuzzer", role="team_lead", team=support_team)
    token = Token.objects.create(user=fuzzer)
    citizen = CitizenFactory(cpr="0101801234")
    enquiry = services.register_enquiry(
        taxonomy["support"], by=fuzzer, subject="Første sag", citizen=citizen
    )
    # Detail routes get ids that exist, so fuzzed bodies reach the services.
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[[operations]]\n"
        'include-path-regex = "^/api/v1/enquiries/"\n'
        f'parameters = {{ "path.id_or_reference" = "{enquiry.reference}" }}\n'
        "[[operations]]\n"
        'include-path-regex = "^/api/v1/citizens/"\n'
        f'parameters = {{ "path.id" = {citizen.pk} }}\n'
    )

    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {token.key}",
            "--checks",
            ",".join(CHECKS),
            # The coverage phase would take minutes on a shared machine.
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            "15",
            "--seed",
            "1",
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--request-timeout",
            "10",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert tested and int(tested.group(1)) >= 20, result.stdout[-2000:]
