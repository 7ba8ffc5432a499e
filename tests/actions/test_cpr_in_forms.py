"""The action pages refuse a CPR number on the field that carries it."""

import pytest
from django.urls import reverse

from actions.models import Action
from tests.factories import ActionFactory


def _data(danid, theme, **extra):
    return {
        "title": "Pjece til ældre",
        "description": "Via Ældre Sagen Nu",
        "theme": theme.pk,
        "owner": danid.pk,
        "status": Action.Status.PLANNED,
        "due_phrase": "foråret 2011",
        **extra,
    }


@pytest.mark.parametrize(
    ("field", "text"),
    [("title", "Ring til 110682-1449"), ("description", "Borger 11 06 82 1449 ringede")],
)
def test_creating_an_action_with_a_cpr_number_shows_it_on_the_field(
    client_as, danid, theme, field, text
):
    response = client_as("secretariat").post(
        reverse("actions:create"), _data(danid, theme, **{field: text})
    )

    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert "CPR" in errors[field][0]
    assert not Action.objects.exists()


def test_editing_an_action_with_a_cpr_number_in_danish_names_it_in_danish(
    client_as, danid, theme, personas
):
    action = ActionFactory(title="Pjece", owner=danid, theme=theme)

    response = client_as("secretariat", language="da").post(
        reverse("actions:edit", args=[action.pk]),
        _data(danid, theme, title="Ring til 110682\u20131449", version=1),
    )

    assert response.status_code in (200, 400)
    assert "dette ligner et CPR-nummer" in " ".join(response.context["form"].errors["title"])
    action.refresh_from_db()
    assert action.title == "Pjece"
