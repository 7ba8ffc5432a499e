import pytest
from django.urls import reverse

from tests.factories import KpiFactory, KpiReadingFactory

MODELS = ["theme", "action", "actionupdate", "actionevent", "kpi", "kpireading"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_opens_every_action_model(client_as, support_action, model):
    reading = KpiReadingFactory(kpi=KpiFactory(action=support_action))
    support_action.updates.create(text="Fremdrift")
    support_action.events.create(kind="created")
    objects = {
        "theme": support_action.theme,
        "action": support_action,
        "actionupdate": support_action.updates.get(),
        "actionevent": support_action.events.get(),
        "kpi": reading.kpi,
        "kpireading": reading,
    }
    client = client_as("admin")

    listing = client.get(reverse(f"admin:actions_{model}_changelist"))
    change = client.get(reverse(f"admin:actions_{model}_change", args=[objects[model].pk]))

    assert listing.status_code == 200
    assert change.status_code == 200


def test_admin_keeps_the_due_range_in_step_with_the_phrase(client_as, support_action):
    client = client_as("admin")
    data = {
        "code": "",
        "title": support_action.title,
        "description": "",
        "theme": support_action.theme_id,
        "status": support_action.status,
        "owner": support_action.owner_id,
        "responsible": "",
        "due_phrase": "1. kvartal 2011",
        "completed_on": "",
        "follows_up": "",
        "escalation_level": 0,
        **{
            f"{prefix}-{key}": value
            for prefix in ("kpis", "updates", "events")
            for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    }

    response = client.post(reverse("admin:actions_action_change", args=[support_action.pk]), data)
    bad = client.post(
        reverse("admin:actions_action_change", args=[support_action.pk]),
        {**data, "due_phrase": "snart"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    support_action.refresh_from_db()
    assert str(support_action.due_end) == "2011-03-31"
    assert bad.status_code == 200
    assert "is not a due date this system can read" in bad.content.decode()
