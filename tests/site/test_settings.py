"""Deployment settings (issue 8.6): a safe default, a strict production.

Each case starts a fresh Python process, as a deployment would, because the
settings module decides at import time.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# Runs once in CI, in the SQLite pass: the database does not change what it tests.
pytestmark = pytest.mark.once_sqlite

ROOT = Path(__file__).resolve().parents[2]
# The README's production variables (TLS ends at a proxy in front).
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "sager.example.dk",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://sager.example.dk",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only the variables given here (a test run sets others, e.g. async).
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "nemid_cases.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_variables_pass_the_deploy_check_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_without_the_https_variables_the_deploy_check_fails():
    # The check is not a formality: the defaults alone are for local use.
    plain = {key: PRODUCTION[key] for key in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY")}

    result = manage("check", "--deploy", "--fail-level", "WARNING", **plain)

    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


@pytest.mark.parametrize("key", ["", "insecure-local-only-key"])
def test_debug_off_refuses_to_start_with_the_default_secret_key(key):
    result = manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY=key)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_on_may_use_the_default_key_locally():
    result = manage("check", DJANGO_DEBUG="true", DJANGO_SECRET_KEY="")

    assert result.returncode == 0, result.stderr[-2000:]


def test_the_env_file_make_writes_leaves_debug_off(tmp_path):
    target = tmp_path / ".env"

    subprocess.run([sys.executable, "scripts/write_env.py", str(target)], cwd=ROOT, check=True)

    text = target.read_text()
    assert "DJANGO_DEBUG" not in text
    assert "DJANGO_SECRET_KEY=" in text
    key = text.split("DJANGO_SECRET_KEY=", 1)[1].split("\n", 1)[0]
    assert len(key) >= 50


def test_make_lint_runs_the_deploy_check_with_production_variables():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]

    assert "check --deploy --fail-level WARNING" in lint
    for variable in PRODUCTION:
        assert f"{variable}=" in lint, variable
