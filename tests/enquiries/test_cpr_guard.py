"""The CPR guard: every text field of every project model refuses a number.

test_every_text_field_of_every_model_refuses_a_cpr_number walks all models,
so a field added tomorrow fails here until the guard covers it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import JSONField
from django.db.models.signals import pre_save
from hypothesis import given, settings
from hypothesis import strategies as st

from enquiries import cpr, cpr_guard
from enquiries.models import Citizen
from stakeholders.models import WorkingGroup
from tests.factories import (
    ActionFactory,
    CitizenFactory,
    ContactFactory,
    MeetingFactory,
    OrganisationFactory,
    WorkingGroupFactory,
)

NUMBER = "Ring til 11 06 82\u20131449 i morgen"


def _all_text_fields():
    return [
        (model, field)
        for model in cpr_guard.project_models()
        for field in cpr_guard.text_fields(model)
    ]


def test_the_walk_sees_every_project_app_and_no_third_party_one():
    apps = {model._meta.app_label for model in cpr_guard.project_models()}

    assert {"accounts", "enquiries", "stakeholders", "actions", "feedback", "analytics"} <= apps
    assert {"privacy", "auth", "admin", "axes", "authtoken"} & apps == {"privacy"}
    assert len(_all_text_fields()) > 100


@pytest.mark.parametrize(
    ("model", "field"),
    _all_text_fields(),
    ids=[cpr_guard.field_key(field) for _model, field in _all_text_fields()],
)
def test_every_text_field_of_every_model_refuses_a_cpr_number(model, field):
    key = cpr_guard.field_key(field)
    if key in cpr_guard.ALLOWED:
        assert len(cpr_guard.ALLOWED[key]) > 20, "say why this column may hold a number"
        return
    # A JSONField holds it deep in its structure.
    value = {"series": [1, NUMBER]} if isinstance(field, JSONField) else NUMBER
    instance = model()
    setattr(instance, field.attname, value)
    refused, redacted = cpr_guard.guarded_fields(model)

    if key in cpr_guard.REDACTED:
        assert field in redacted
        pre_save.send(sender=model, instance=instance, raw=False, using="default")
        assert getattr(instance, field.attname) == "Ring til 110682-xxxx i morgen"
        return
    assert field in refused, f"{key} is not guarded"
    # A save of any kind: the pre_save check names the field.
    with pytest.raises(ValidationError) as on_save:
        pre_save.send(sender=model, instance=instance, raw=False, using="default")
    assert field.name in on_save.value.message_dict
    # Validation (forms, serializers): the field's own validator names it.
    with pytest.raises(ValidationError) as on_clean:
        field.run_validators(value)
    assert "cpr_in_text" in {error.code for error in on_clean.value.error_list}
    # Form fields made from it (a ModelForm), even where the model is not
    # validated by the form.
    form_field = field.formfield()
    with pytest.raises(ValidationError) as on_form:
        form_field.run_validators(value)
    assert "cpr_in_text" in {error.code for error in on_form.value.error_list}


def test_the_allow_list_names_only_fields_that_exist():
    keys = {cpr_guard.field_key(field) for _model, field in _all_text_fields()}

    assert set(cpr_guard.ALLOWED) | set(cpr_guard.REDACTED) <= keys


def test_the_guard_adds_no_migration_and_keeps_the_declared_validators():
    field = Citizen._meta.get_field("phone")

    assert any(isinstance(v, cpr_guard.CprFreeTextValidator) for v in field.validators)
    assert not any(isinstance(v, cpr_guard.CprFreeTextValidator) for v in field._validators)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "fields"),
    [
        (ActionFactory, {"title": NUMBER}),
        (ActionFactory, {"description": "110682/1449"}),
        (MeetingFactory, {"minutes": "cpr 11.06.82-1449"}),
        (OrganisationFactory, {"notes": "110682_1449"}),
        (ContactFactory, {"phone": "110682 1449"}),
        (CitizenFactory, {"phone": "1106821449"}),
        (WorkingGroupFactory, {"name": "Gruppe 110682-1449"}),
    ],
)
def test_saving_a_cpr_number_through_the_orm_is_refused(factory, fields):
    model = factory._meta.get_model_class()

    with pytest.raises(ValidationError) as error:
        factory(**fields)

    assert set(fields) <= set(error.value.message_dict)
    assert not model.objects.filter(**fields).exists()


@pytest.mark.django_db
def test_a_working_group_slug_made_from_a_name_is_refused():
    group = WorkingGroupFactory(name="Arbejdsgruppe")
    group.code = "gruppe-110682-1449"

    with pytest.raises(ValidationError) as error:
        group.save()

    assert "code" in error.value.message_dict
    assert WorkingGroup.objects.get(pk=group.pk).code != group.code


@pytest.mark.django_db
def test_the_error_message_names_the_field():
    citizen = Citizen(name="Karen", phone="110682-1449")

    with pytest.raises(ValidationError) as error:
        citizen.full_clean(exclude=["cpr_ciphertext"])

    assert error.value.message_dict["phone"] == [
        "Phone: this looks like a CPR number. Record it on the citizen, never in free text."
    ]


# Property-based: the written forms of a CPR number, and text that is not one.

SCRIPTS = ["0", "\u0660", "\u06f0", "\u0966", "\uff10", "\u09e6"]  # zero of each script
SEPARATORS = ["", "-", "/", "_", " ", " - ", "\u2013", "\u2014", "\u2212", "\u00a0", "\u2011"]
DATE_SEPARATORS = ["", ".", " ", "-", "/"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
GENERATED = {"cpr": 0, "plain": 0}


def _in_script(digits: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(d)) for d in digits)


@st.composite
def written_cpr(draw):
    day = draw(st.integers(1, 31))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    serial = draw(st.integers(0, 9999))
    sep = draw(st.sampled_from(DATE_SEPARATORS))
    date = sep.join([f"{day:02d}", f"{month:02d}", f"{year:02d}"])
    text = date + draw(st.sampled_from(SEPARATORS)) + f"{serial:04d}"
    zero = draw(st.sampled_from(SCRIPTS))
    text = "".join(_in_script(c, zero) if c.isdigit() else c for c in text)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    before = draw(st.sampled_from(["", "Ring til ", "cpr:", "(", "Borger "]))
    after = draw(st.sampled_from(["", " i morgen", ")", ".", "\n"]))
    return before + text + after, f"{day:02d}{month:02d}{year:02d}"


@settings(max_examples=600, deadline=None)
@given(written_cpr())
def test_every_written_form_of_a_cpr_number_is_refused_and_masked(case):
    text, born = case
    GENERATED["cpr"] += 1

    with pytest.raises(ValidationError):
        cpr.reject_cpr_in_text(text)
    masked = cpr.redact_cpr(text)
    assert f"{born}-xxxx" in masked
    assert not cpr.contains_cpr(masked)


def _phone(draw):
    digits = f"{draw(st.integers(20000000, 99999999))}"
    style = draw(st.integers(0, 2))
    if style == 0:
        return "+45 " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    if style == 1:
        return f"{digits[:4]} {digits[4:]}"
    return f"+45{digits}"


@st.composite
def plain_text(draw):
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return _phone(draw)
    if kind == 1:
        date = draw(st.dates())
        return draw(
            st.sampled_from(
                [date.strftime("%d.%m.%Y"), date.isoformat(), date.strftime("%d/%m/%Y")]
            )
        )
    if kind == 2:
        amount = draw(st.integers(0, 10**9))
        return f"{amount:,}".replace(",", ".") + f",{draw(st.integers(0, 99)):02d} kr."
    if kind == 3:
        year, number = draw(st.integers(2010, 2099)), draw(st.integers(0, 999999))
        return f"{draw(st.sampled_from(['NID', 'MIN']))}-{year}-{number:06d}"
    # A day-month-year that cannot be a birth date (day 32+ or month 13+).
    day, month = draw(st.integers(32, 99)), draw(st.integers(13, 99))
    return f"{day:02d}{month:02d}{draw(st.integers(0, 99)):02d}-{draw(st.integers(0, 9999)):04d}"


@settings(max_examples=600, deadline=None)
@given(plain_text())
def test_phone_numbers_dates_amounts_and_references_pass(text):
    GENERATED["plain"] += 1

    cpr.reject_cpr_in_text(text)
    assert cpr.redact_cpr(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "110682-1449",
        "1106821449",
        "110682/1449",
        "11.06.82-1449",
        "110682\u20131449",
        "110682\u20141449",
        "110682 - 1449",
        "11 06 82 1449",
        "110682\u200b1449",
        "1106\u200d821449",
        "110682_1449",
        "\u0661\u0661\u0660\u0666\u0668\u0662-\u0661\u0664\u0664\u0669",
        "\uff11\uff11\uff10\uff16\uff18\uff12-\uff11\uff14\uff14\uff19",
        "110682\u00a01449",
    ],
)
def test_the_variants_from_issue_8_are_refused(text):
    assert cpr.contains_cpr(f"Ring til {text} i dag")


@pytest.mark.parametrize(
    "text",
    [
        "+45 33 12 34 56",
        "3312 3456",
        "11.06.2010",
        "2010-06-11",
        "NID-2026-000041",
        "NID-2011-000041",
        "1.234.567,89 kr.",
        "320682-1449",
        "111382-1449",
    ],
)
def test_text_that_only_resembles_a_cpr_number_passes(text):
    assert not cpr.contains_cpr(text)
