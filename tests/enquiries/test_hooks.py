"""The enquiry hook: the apps above enquiries react through it, in order."""

import pytest

from analytics.models import DirtyDay
from enquiries import hooks, services
from enquiries.models import Enquiry


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def reaction():
    """A reaction registered for one test, then removed again."""
    seen = []

    def record(enquiry, *, changed, old, now):
        seen.append((enquiry.pk, set(changed), dict(old)))

    hooks.on_enquiry_change(record)
    yield seen
    hooks._enquiry_reactions.remove(record)


def test_the_apps_above_enquiries_react_through_the_hook():
    assert hooks.registered() == {
        "enquiry": [
            "analytics.services.mark_enquiry_dirty",
            "feedback.services.invite_on_change",
            "problems.services.link_on_change",
        ],
        "bulk": ["analytics.services.mark_rows_dirty"],
    }


def test_registering_a_reaction_twice_runs_it_once(reaction, support, personas):
    hooks.on_enquiry_change(hooks._enquiry_reactions[-1])

    enquiry = services.register_enquiry(support, by=personas["agent"], subject="Kode")

    assert reaction == [(enquiry.pk, {"created"}, {})]


def test_a_reaction_hears_each_change_with_the_old_values(reaction, support, personas):
    enquiry = services.register_enquiry(support, by=personas["agent"], subject="Kode")

    services.transition_enquiry(enquiry, to=Enquiry.Status.IN_PROGRESS, by=personas["agent"])

    assert reaction[-1] == (
        enquiry.pk,
        {"status"},
        {"status": Enquiry.Status.NEW, "sla_paused_at": None},
    )


def test_a_failing_reaction_rolls_the_change_back(support, personas):
    def refuse(enquiry, *, changed, old, now):
        raise RuntimeError("refused")

    hooks.on_enquiry_change(refuse)
    try:
        with pytest.raises(RuntimeError):
            services.register_enquiry(support, by=personas["agent"], subject="Kode")
    finally:
        hooks._enquiry_reactions.remove(refuse)

    assert not Enquiry.objects.exists()
    # The reactions before it wrote inside the same transaction: gone too.
    assert not DirtyDay.objects.exists()
