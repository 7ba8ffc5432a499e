"""factory_boy factories shared by the whole suite."""

import datetime
import zoneinfo

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Team, User
from actions.models import Action
from enquiries.models import Category, Channel, Citizen, Enquiry, Queue, Topic
from enquiries.sequences import format_reference, next_reference_numbers


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")

    class Params:
        # A lead who is not a member of the team they lead (no team at all),
        # so that "lead" and "member" differ.
        outside_lead = factory.Trait(
            lead=factory.SubFactory("tests.factories.UserFactory", role="team_lead", team=None)
        )


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff; `role="team_lead"` puts them in that group."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("secret-password")

    class Params:
        # Deactivated: may keep assigned enquiries, but may not be given
        # more nor receive notifications.
        deactivated = factory.Trait(is_active=False)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))
            if str(extracted) == "administrator":
                self.is_staff = True
                self.save(update_fields=["is_staff"])

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        """`leads=[team, ...]` makes the user lead of those teams as well.

        A user belongs to one team (User.team); with `team=a, leads=[b]`
        they work in two, which is this model's "user in two teams".
        """
        for team in extracted or ():
            team.lead = self
            team.save(update_fields=["lead"])


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"queue-{n}")
    reference_prefix = factory.Sequence(lambda n: f"Q{n}")
    name_da = factory.Sequence(lambda n: f"Kø {n}")
    name_en = factory.Sequence(lambda n: f"Queue {n}")
    default_channel = Channel.PHONE


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    queue = factory.SubFactory(QueueFactory)
    code = factory.Sequence(lambda n: f"topic-{n}")
    name_da = factory.Sequence(lambda n: f"Emne {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    topic = factory.SubFactory(TopicFactory)
    code = factory.Sequence(lambda n: f"category-{n}")
    name_da = factory.Sequence(lambda n: f"Kategori {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class CitizenFactory(factory.django.DjangoModelFactory):
    """A citizen; pass `cpr="0101801234"` to store (encrypted) a CPR number."""

    class Meta:
        model = Citizen

    name = factory.Faker("name", locale="da_DK")
    phone = factory.Sequence(lambda n: f"2{n:07d}")

    @classmethod
    def _create(cls, model_class, *args, cpr="", known_to=(), **kwargs):
        """`known_to=[queue, ...]`: one enquiry of the citizen in each queue,
        e.g. a citizen known to two teams."""
        citizen = model_class(*args, **kwargs)
        citizen.set_cpr(cpr)
        citizen.save()
        for queue in known_to:
            EnquiryFactory(citizen=citizen, queue=queue, category=None)
        return citizen


COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
BEFORE_EASTER_1559 = datetime.datetime(2010, 3, 31, 15, 59, tzinfo=COPENHAGEN)
DST_OCTOBER_REPEATED_HOUR = datetime.datetime(2010, 10, 31, 2, 30, fold=1, tzinfo=COPENHAGEN)


class EnquiryFactory(factory.django.DjangoModelFactory):
    """An enquiry written directly (no timeline); use services to test flows.

    Traits: `overdue=True` puts both deadlines in the past; `before_easter`
    and `dst_october` set awkward reception times.
    """

    class Meta:
        model = Enquiry
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    queue = factory.LazyAttribute(lambda e: e.category.topic.queue)
    channel = Channel.PHONE
    subject = factory.Faker("sentence", nb_words=5, locale="da_DK")
    received_at = factory.LazyFunction(timezone.now)
    reference = factory.LazyAttribute(
        lambda e: format_reference(
            e.queue.reference_prefix, e.received_at.year, next_reference_numbers(1)[0]
        )
    )

    class Params:
        # The last business minute before the Easter holidays of 2010
        # (Maundy Thursday 1 April to Easter Monday 5 April).
        before_easter = factory.Trait(received_at=BEFORE_EASTER_1559)
        # Received in the hour that happens twice: 02:30 CET, after summer
        # time ended at 03:00 CEST on Sunday 31 October 2010.
        dst_october = factory.Trait(received_at=DST_OCTOBER_REPEATED_HOUR)
        overdue = factory.Trait(
            first_response_due_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=2)
            ),
            resolution_due_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=1)
            ),
        )


# Stakeholders


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Organisation"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "interest_organisation"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Contact"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="da_DK")
    title = "Kontorchef"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.WorkingGroup"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Arbejdsgruppe {n}")
    purpose = "At finde den bedst mulige løsning."

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting; `organisations=[...]` sets who was present (default: one new)."""

    class Meta:
        model = "stakeholders.Meeting"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Møde {n}")
    held_on = datetime.date(2010, 11, 9)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create:
            self.organisations.set(extracted or [OrganisationFactory()])


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation written directly (no history); `topics=[...]` to scope it."""

    class Meta:
        model = "stakeholders.Recommendation"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    text = factory.Sequence(lambda n: f"Anbefaling {n}")

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.FollowUp"

    subject = factory.Sequence(lambda n: f"Svar {n}")
    waiting_organisation = factory.SubFactory(OrganisationFactory)
    awaited_organisation = factory.SubFactory(OrganisationFactory)
    since_on = datetime.date(2010, 11, 9)


# Actions


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actions.Theme"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    name_da = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    """An action written directly (no timeline); use the services to test flows.

    `topics=[topic]` sets origin topics. Traits: `overdue=True` ended
    yesterday, `due_soon=True` ends in a week, `asap=True` has no date.
    """

    class Meta:
        model = "actions.Action"
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
        model = "actions.Kpi"

    action = factory.SubFactory(ActionFactory)
    metric = "Medarbejdere i supporten"
    unit = "personer"
    baseline = 60
    target = 270


class KpiReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actions.KpiReading"

    kpi = factory.SubFactory(KpiFactory)
    measured_on = factory.Sequence(lambda n: datetime.date(2010, 7, 1) + datetime.timedelta(n))
    value = 100


def two_editors(enquiry: Enquiry, **kwargs) -> list[tuple[User, Enquiry]]:
    """Two agents of the enquiry's queue, each holding their own copy of it
    (read at the same moment), as two open edit forms would."""
    team = enquiry.queue.team
    return [
        (UserFactory(role="support_agent", team=team, **kwargs), Enquiry.objects.get(pk=enquiry.pk))
        for _ in range(2)
    ]
