import datetime

import pytest
from django.core.exceptions import ValidationError

from answers import placeholders, services
from answers.models import AnswerTemplate, AnswerTemplateVersion, versions_in_force
from tests.answers.conftest import COPENHAGEN


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=COPENHAGEN)


def test_the_text_in_force_on_a_day_is_the_version_published_before_it(welcome):
    template = AnswerTemplate.objects.get(key="welcome-letter")

    assert template.in_force(_at(datetime.date(2010, 12, 5))) == welcome["v1"]
    assert template.in_force(_at(datetime.date(2010, 12, 6), hour=0)) == welcome["v2"]
    assert template.in_force(_at(datetime.date(2010, 6, 30))) is None
    assert template.in_force() == welcome["v2"]


def test_a_new_version_keeps_the_earlier_one_unchanged(welcome):
    first = AnswerTemplateVersion.objects.get(pk=welcome["v1"].pk)

    assert [v.version for v in first.template.versions.order_by("version")] == [1, 2]
    assert first.body_da == "Kære {citizen_name}\n\nVelkommen til NemID."
    with pytest.raises(ValueError, match="never changed"):
        first.save()


def test_unknown_placeholder_is_refused_at_publish_naming_it(welcome, personas):
    template = AnswerTemplate.objects.get(key="welcome-letter")

    with pytest.raises(ValidationError) as refused:
        services.publish_template_version(
            template,
            by=personas["secretariat"],
            subject_da="Hej",
            body_da="Kære {citizen_nmae}",
            subject_en="Hi",
            body_en="Dear {citizen_name.__class__} {0}",
        )

    errors = refused.value.message_dict
    assert "{citizen_nmae}" in errors["body_da"][0]
    assert "{citizen_name.__class__}" in errors["body_en"][0]
    assert "{0}" in errors["body_en"][0]
    assert "subject_da" not in errors
    assert template.versions.count() == 2


def test_a_lone_brace_is_refused_and_doubled_braces_are_literal():
    with pytest.raises(ValidationError) as refused:
        placeholders.check_placeholders(body_da="Svar {reference")

    assert "body_da" in refused.value.message_dict
    placeholders.check_placeholders(body_da="{{ikke en pladsholder}} {reference}")
    assert placeholders.fill("{{x}} {reference}", {"reference": "NID-1"}) == "{x} NID-1"


def test_format_specs_are_not_placeholders():
    assert placeholders.unknown_placeholders("{reference:>40} {reference!r}") == [
        "{reference:>40}",
        "{reference!r}",
    ]


def test_only_the_publishing_roles_may_publish(welcome, personas):
    template = AnswerTemplate.objects.get(key="welcome-letter")

    with pytest.raises(Exception, match="may not publish"):
        services.publish_template_version(
            template,
            by=personas["agent"],
            subject_da="a",
            body_da="b",
            subject_en="c",
            body_en="d",
        )


def test_versions_in_force_takes_two_queries_for_any_number_of_templates(
    welcome, personas, django_assert_num_queries
):
    for n in range(5):
        services.create_template(
            f"t{n}",
            by=personas["secretariat"],
            subject_da="a",
            body_da="b",
            subject_en="c",
            body_en="d",
        )
    with django_assert_num_queries(2):
        versions = versions_in_force(AnswerTemplate.objects.all())

    assert [v.template.key for v in versions] == ["t0", "t1", "t2", "t3", "t4", "welcome-letter"]
    assert versions[-1] == welcome["v2"]
