"""Factories for actions and the stakeholder rows they point at.

Kept here rather than in tests/factories.py while the stakeholders app is
built in parallel; the lead may merge them.
"""

import datetime

import factory
from django.utils import timezone

from actions.models import Action, Kpi, KpiReading, Theme
from stakeholders.models import Contact, Meeting, Organisation, Recommendation


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    name_da = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.AUTHORITY


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="da_DK")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Møde {n}")
    held_on = datetime.date(2010, 11, 25)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    text = factory.Sequence(lambda n: f"Anbefaling {n}")

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class ActionFactory(factory.django.DjangoModelFactory):
    """An action written directly (no timeline); use the services to test flows.

    `topics=[topic]` sets origin topics. Traits: `overdue=True` ended
    yesterday, `due_soon=True` ends in a week, `asap=True` has no date.
    """

    class Meta:
        model = Action
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Action {n}")
    theme = factory.SubFactory(ThemeFactory)
    owner = factory.SubFactory(OrganisationFactory)
    status = Action.Status.PLANNED
    due_phrase = "2030"
    due_start = datetime.date(2030, 1, 1)
    due_end = datetime.date(2030, 12, 31)
    due_precision = Action.DuePrecision.YEAR

    class Params:
        overdue = factory.Trait(
            due_phrase="",
            due_start=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(10)),
            due_end=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(1)),
            due_precision=Action.DuePrecision.DAY,
        )
        due_soon = factory.Trait(
            due_phrase="",
            due_start=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(7)),
            due_end=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(7)),
            due_precision=Action.DuePrecision.DAY,
        )
        asap = factory.Trait(
            due_phrase="snarest muligt",
            due_start=None,
            due_end=None,
            due_precision=Action.DuePrecision.ASAP,
        )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.origin_topics.set(extracted)


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    action = factory.SubFactory(ActionFactory)
    metric = "Medarbejdere i supporten"
    unit = "personer"
    baseline = 60
    target = 270


class KpiReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiReading

    kpi = factory.SubFactory(KpiFactory)
    measured_on = factory.Sequence(lambda n: datetime.date(2010, 7, 1) + datetime.timedelta(n))
    value = 100
