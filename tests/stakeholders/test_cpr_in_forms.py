"""The stakeholder pages refuse a CPR number on the field that carries it."""

import pytest
from django.urls import reverse

from stakeholders.models import Meeting
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("field", "text"),
    [("title", "Møde om 110682/1449"), ("minutes", "Borger 11.06.82-1449 deltog")],
)
def test_a_meeting_with_a_cpr_number_shows_the_error_on_the_field(client_as, db, field, text):
    data = {
        "title": "Et møde",
        "held_on": "2010-11-09",
        "organisations": [OrganisationFactory().pk],
    }

    response = client_as("secretariat").post(
        reverse("stakeholders:meeting-create"), {**data, field: text}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert "CPR" in response.context["form"].errors[field][0]
    assert not Meeting.objects.exists()
