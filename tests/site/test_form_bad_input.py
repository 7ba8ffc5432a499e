"""Every create form, every field at once given what once made a 500.

A NUL byte (PostgreSQL refuses it with an error), a date-time that
overflows when turned to UTC, and the last day of the calendar: each form
must answer with its own field errors, never a server error, and save
nothing. Run it on PostgreSQL too (SQLite stores NUL without complaint).
"""

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import OrganisationFactory, WorkingGroupFactory

CREATE_FORMS = [
    "enquiries:create",
    "enquiries:citizen-create",
    "actions:create",
    "stakeholders:organisation-create",
    "stakeholders:contact-create",
    "stakeholders:workinggroup-create",
    "stakeholders:meeting-create",
    "stakeholders:recommendation-create",
    "stakeholders:followup-create",
    "feedback:survey-create",
]

BAD_VALUES = {
    "nul": "x\x00y",
    "overflow": "0001-01-01T00:00:00+14:00",
    "far_future": "9999-12-31",
}


def _rows() -> int:
    return sum(
        model.objects.count()
        for label in ("enquiries", "actions", "stakeholders", "feedback")
        for model in apps.get_app_config(label).get_models()
    )


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
@pytest.mark.parametrize("route", CREATE_FORMS)
def test_a_bad_value_in_every_field_of_a_form_is_a_field_error(client_as, taxonomy, route, value):
    OrganisationFactory()
    WorkingGroupFactory()
    client = client_as("admin")
    page = client.get(reverse(route))
    assert page.status_code == 200, route
    form = page.context["form"]
    names = [form.add_prefix(name) for name in form.fields]
    before = _rows()

    response = client.post(reverse(route), dict.fromkeys(names, value))

    assert response.status_code in (200, 400), (route, response.status_code)
    assert response.context["form"].errors
    assert _rows() == before


def test_a_duplicate_working_group_code_in_the_form_is_a_field_error(client_as, db):
    taken = WorkingGroupFactory(code="sikkerhed")
    member = OrganisationFactory()

    response = client_as("secretariat").post(
        reverse("stakeholders:workinggroup-create"),
        {"code": taken.code, "name": "Endnu en", "members": [member.pk]},
    )

    assert response.status_code in (200, 400)
    assert "code" in response.context["form"].errors
