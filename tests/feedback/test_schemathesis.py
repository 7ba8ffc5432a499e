"""Schemathesis on the satisfaction API only: no 5xx, answers as documented."""

import subprocess

import pytest
from rest_framework.authtoken.models import Token

from feedback import services
from feedback.models import SurveyResult
from tests.api.test_schemathesis import CHECKS, SCHEMATHESIS
from tests.factories import UserFactory
from tests.feedback.conftest import resolve


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_in_the_satisfaction_api(
    live_server, taxonomy, personas, tmp_path
):
    fuzzer = UserFactory(username="fuzzer", role="administrator")
    token = Token.objects.create(user=fuzzer)
    survey = SurveyResult.objects.create(
        source="A&B Analyse", published_on="2010-11-30", respondents=1426, share_satisfied="77.0"
    )
    enquiry = resolve(taxonomy["support"], personas["agent"])
    rating = services.record_rating(enquiry, score=4, source="citizen", by=None)
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[[operations]]\n"
        'include-path-regex = "^/api/v1/survey-results/"\n'
        f'parameters = {{ "path.id" = {survey.pk} }}\n'
        "[[operations]]\n"
        'include-path-regex = "^/api/v1/ratings/"\n'
        f'parameters = {{ "path.id" = {rating.pk} }}\n'
    )

    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/schema/",
            "--include-path-regex",
            "^/api/v1/(survey-results|ratings)/",
            "--exclude-method",
            "DELETE",
            "--header",
            f"Authorization: Token {token.key}",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            "25",
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
    assert "Tested: 7" in result.stdout or "7 operations" in result.stdout, result.stdout[-2000:]
