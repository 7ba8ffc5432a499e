"""The Python-rendered selects give exactly Django's own HTML."""

import pytest
from django import forms

from enquiries.forms import AssignForm, QueueTaggedSelect
from nemid_cases.widgets import FastSelect, FastSelectMultiple
from tests.factories import EnquiryFactory, UserFactory

CHOICES = [
    ("", "—"),
    ("a", "Plain"),
    ("b", 'Quotes " and <tags> & ampersands'),
    ("Group <1>", [("c", "In a group"), ("d", "Also")]),
    (7, "A number"),
]


@pytest.mark.parametrize("value", [None, "", "b", "c", 7, "7"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "aria-describedby": "h"}])
def test_fast_select_renders_as_djangos_select(value, attrs):
    fast = FastSelect(choices=CHOICES, attrs={"class": "wide", "disabled": False})
    django_select = forms.Select(choices=CHOICES, attrs={"class": "wide", "disabled": False})
    assert fast.render("x", value, attrs) == django_select.render("x", value, attrs)


@pytest.mark.parametrize("value", [None, [], ["a"], ["b", "d", 7]])
def test_fast_select_multiple_renders_as_djangos(value):
    fast = FastSelectMultiple(choices=CHOICES)
    assert fast.render("x", value, {"id": "id_x"}) == forms.SelectMultiple(choices=CHOICES).render(
        "x", value, {"id": "id_x"}
    )


@pytest.mark.django_db
def test_assign_form_select_matches_djangos_and_marks_the_assignee():
    assignee = UserFactory(first_name="Åse", last_name="<Ø>", role="support_agent")
    UserFactory(role="support_agent")
    enquiry = EnquiryFactory(assignee=assignee)
    form = AssignForm(enquiry=enquiry)
    field = form["assignee"]
    expected = field.as_widget(widget=forms.Select(choices=form.fields["assignee"].choices))
    assert str(field) == expected
    assert f'<option value="{assignee.pk}" selected>' in str(field)


def test_queue_tagged_select_keeps_djangos_template():
    # Its options carry data-queue through create_option; not a FastSelect.
    assert not issubclass(QueueTaggedSelect, FastSelect)
