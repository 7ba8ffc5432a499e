"""Schemathesis against a live server: no 5xx, responses as the schema says.

Runs once, with a fixed seed, against pytest-django's live_server (a
transactional database, so the server thread sees the rows made here),
authenticated with an administrator's token so that every operation of
every app is reached. Phases: the schema's examples, fuzzing (which sends
NUL bytes, surrogates, extra keys and nested objects) and the stateful
phase, which follows the links schemathesis infers between operations
(a created row's id into its detail, PATCH and actions). Checks: no server
error, and every status code, content type, header and body as documented,
so a status the schema declares (the 428 of a PATCH without If-Match) passes
and an undeclared one fails.

The coverage phase (boundary and invalid values for every parameter) takes
minutes on a shared machine; a deeper run, e.g. before a release:
    SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful \
    SCHEMATHESIS_MAX_EXAMPLES=25 SCHEMATHESIS_TIMEOUT=1800 pytest -p no:xdist \
    tests/api/test_schemathesis.py
(SCHEMATHESIS_CHECKS adds e.g. negative_data_rejection; SCHEMATHESIS_OUTPUT
saves the report.) Results are in docs/security.md.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from enquiries import services
from feedback import services as feedback_services
from feedback.models import SurveyResult
from notices import services as notices
from notices.models import WebhookSubscription
from tests.api import schemathesis_serializers
from tests.factories import (
    ActionFactory,
    CitizenFactory,
    ContactFactory,
    FollowUpFactory,
    KpiFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.feedback.conftest import resolve

# Runs once in CI, in the PostgreSQL + Redis pass (docs/testing.md).
pytestmark = pytest.mark.once_postgres

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]

PHASES = "examples,fuzzing,stateful"
MAX_EXAMPLES = 10


def seed_rows(taxonomy, support_team) -> tuple[str, dict]:
    """An administrator's token, and an existing row for each detail route.

    Shared with tests/api/test_schemathesis_known_bad.py.
    """
    # An administrator may call every operation, so none stops at a 403.
    fuzzer = UserFactory(username="fuzzer", role="administrator", team=support_team)
    token = Token.objects.create(user=fuzzer)
    citizen = CitizenFactory(cpr="0101801234")
    enquiry = services.register_enquiry(
        taxonomy["support"], by=fuzzer, subject="Første sag", citizen=citizen
    )
    kpi = KpiFactory(action=ActionFactory(owner=OrganisationFactory(code="danid")))
    meeting = MeetingFactory()
    survey = SurveyResult.objects.create(
        source="A&B Analyse", published_on="2010-11-30", respondents=1426, share_satisfied="77.0"
    )
    resolved = resolve(taxonomy["support"], fuzzer)
    rating = feedback_services.record_rating(resolved, score=4, source="citizen", by=None)
    text = notices.add_standard_text_version("login-down", text_da="Nede", text_en="Down")
    incident = notices.publish_incident(
        title_da="Log-in er nede",
        title_en="Log-in is down",
        services=["login"],
        severity="outage",
        started_at=text.valid_from,
        text_code="login-down",
        by=fuzzer,
    )
    hook = WebhookSubscription.objects.create(name="Bank", url="https://93.184.215.14/")
    # A draft by someone else, for the administrator to approve or reject.
    draft = notices.submit_standard_text(
        "login-down",
        text_da="Ny",
        text_en="New",
        by=UserFactory(username="drafter", role="secretariat"),
    ).draft
    rows = {
        "publication-drafts": {"id": draft.pk},
        "incidents": {"id": incident.pk},
        "webhook-subscriptions": {"id": hook.pk},
        "standard-texts": {"id": text.pk},
        "actions": {"id": kpi.action_id, "kpi_pk": kpi.pk},
        "themes": {"id": kpi.action.theme_id},
        "organisations": {"id": kpi.action.owner_id},
        "contacts": {"id": ContactFactory(organisation=kpi.action.owner).pk},
        "working-groups": {"id": WorkingGroupFactory().pk},
        "meetings": {"id": meeting.pk},
        "recommendations": {"id": RecommendationFactory(meeting=meeting).pk},
        "follow-ups": {"id": FollowUpFactory().pk},
        "citizens": {"id": citizen.pk},
        "data-requests/citizens": {"id": citizen.pk},
        "enquiries": {"id_or_reference": enquiry.reference},
        "survey-results": {"id": survey.pk},
        "ratings": {"id": rating.pk},
    }
    return token.key, rows


def write_config(path: Path, rows: dict, extra: str = "") -> Path:
    """A schemathesis.toml giving detail routes ids that exist.

    So fuzzed bodies reach the services instead of stopping at a 404.
    """
    path.write_text(
        extra
        + "".join(
            "[[operations]]\n"
            f'include-path-regex = "^/api/v1/{resource}/"\n'
            "parameters = { "
            + ", ".join(f'"path.{name}" = {json.dumps(value)}' for name, value in values.items())
            + " }\n"
            for resource, values in rows.items()
        )
    )
    return path


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, taxonomy, support_team, tmp_path
):
    token, rows = seed_rows(taxonomy, support_team)
    config = write_config(tmp_path / "schemathesis.toml", rows)
    checks = os.environ.get("SCHEMATHESIS_CHECKS", ",".join(CHECKS))
    phases = os.environ.get("SCHEMATHESIS_PHASES", PHASES)
    max_examples = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", str(MAX_EXAMPLES))
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
            checks,
            "--phases",
            phases,
            "--max-examples",
            max_examples,
            "--seed",
            "1",
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--request-timeout",
            "10",
            "--no-color",
            # e.g. "--include-path-regex ^/api/v1/actions/" to dig into one app.
            *os.environ.get("SCHEMATHESIS_EXTRA", "").split(),
        ],
        capture_output=True,
        text=True,
        timeout=int(os.environ.get("SCHEMATHESIS_TIMEOUT", "240")),
        cwd=tmp_path,
        check=False,
        env=os.environ
        | {
            "SCHEMATHESIS_HOOKS": schemathesis_serializers.__name__,
            "PYTHONPATH": str(settings.BASE_DIR),
        },
    )

    if os.environ.get("SCHEMATHESIS_OUTPUT"):
        Path(os.environ["SCHEMATHESIS_OUTPUT"]).write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    # Every operation of every app was called (the schema has over 60).
    selected = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert selected and tested, result.stdout[-2000:]
    assert int(tested.group(1)) == int(selected.group(2)) >= 60, result.stdout[-2000:]
