from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from notices import services
from notices.models import StandardText


@pytest.fixture(autouse=True)
def _empty_cache():
    # The banner and the feeds are cached per process; each test starts cold.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def texts(db):
    start = timezone.now() - timedelta(days=30)
    return {
        "down": services.add_standard_text_version(
            "login-down",
            text_da="Log-in med NemID virker ikke lige nu. Vi arbejder på sagen.",
            text_en="Log-in with NemID does not work right now. We are working on it.",
            valid_from=start,
        ),
        "fixed": services.add_standard_text_version(
            "fixed",
            text_da="Fejlen er rettet. NemID virker igen.",
            text_en="The fault is fixed. NemID works again.",
            kind=StandardText.Kind.INCIDENT,
            valid_from=start,
        ),
    }


@pytest.fixture
def publish(texts, django_user_model):
    def make(**overrides):
        values = {
            "title_da": "Log-in er nede",
            "title_en": "Log-in is down",
            "services": ["login", "netbank_login"],
            "severity": "outage",
            "started_at": timezone.now() - timedelta(minutes=20),
            "text_code": "login-down",
            "by": None,
        }
        return services.publish_incident(**(values | overrides))

    return make


@pytest.fixture
def draft(texts, personas):
    """A new incident the secretariat submitted, waiting for approval."""
    submission = services.submit_incident(
        title_da="Signering er nede",
        title_en="Signing is down",
        services=["signing"],
        severity="major",
        started_at=timezone.now() - timedelta(minutes=5),
        text_code="login-down",
        by=personas["secretariat"],
    )
    assert submission.draft is not None
    return submission.draft
