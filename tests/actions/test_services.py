import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions import services
from actions.models import Action, ActionEvent, ActionUpdate, Kpi, KpiReading
from actions.services import NewFollowUp
from enquiries.models import Category
from tests.factories import (
    ActionFactory,
    ContactFactory,
    KpiFactory,
    MeetingFactory,
    OrganisationFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
)

Status = Action.Status
Kind = ActionEvent.Kind
P = Action.DuePrecision
TODAY = datetime.date(2010, 11, 26)


def kinds(action: Action) -> list[str]:
    return list(action.events.values_list("kind", flat=True))


@pytest.fixture
def secretariat(personas):
    return personas["secretariat"]


def test_create_action_stores_the_due_range_origins_and_a_created_line(
    secretariat, danid, theme, support_topic
):
    recommendation = RecommendationFactory()
    meeting = MeetingFactory()
    category = Category.objects.filter(topic=support_topic).first()

    action = services.create_action(
        danid,
        by=secretariat,
        title="  Alternativ løsning for de to breve  ",
        theme=theme,
        due_phrase="medio januar 2011",
        origin_recommendations=[recommendation],
        origin_meetings=[meeting],
        origin_topics=[support_topic],
        origin_categories=[category],
        today=TODAY,
    )

    action.refresh_from_db()
    assert action.title == "Alternativ løsning for de to breve"
    assert (action.due_start, action.due_end) == (
        datetime.date(2011, 1, 11),
        datetime.date(2011, 1, 20),
    )
    assert action.due_precision == P.PART_OF_MONTH
    assert action.due_phrase == "medio januar 2011"
    assert action.status == Status.PROPOSED
    assert action.created_by == secretariat
    assert list(action.origin_recommendations.all()) == [recommendation]
    assert list(action.origin_meetings.all()) == [meeting]
    assert list(action.origin_topics.all()) == [support_topic]
    assert list(action.origin_categories.all()) == [category]
    event = action.events.get()
    assert (event.kind, event.actor, event.new_value) == (Kind.CREATED, secretariat, "proposed")


def test_create_action_flags_snarest_muligt_without_a_date(secretariat, danid, theme):
    action = services.create_action(
        danid,
        by=secretariat,
        title="Tre aktiveringsforsøg",
        theme=theme,
        due_phrase="snarest muligt",
    )

    assert action.is_due_asap
    assert (action.due_start, action.due_end) == (None, None)


def test_create_action_refuses_an_unreadable_due_phrase_listing_the_forms_and_saves_nothing(
    secretariat, danid, theme
):
    with pytest.raises(ValidationError) as error:
        services.create_action(
            danid, by=secretariat, title="X", theme=theme, due_phrase="når vi når det"
        )

    message = error.value.message_dict["due_phrase"][0]
    assert "medio January 2011" in message or "mid January 2011" in message
    assert "Q1 2011" in message
    assert not Action.objects.exists()
    assert not ActionEvent.objects.exists()


def test_create_action_names_every_bad_field_at_once(secretariat, danid):
    retired = ThemeFactory(is_active=False)
    stranger = ContactFactory()

    with pytest.raises(ValidationError) as error:
        services.create_action(
            danid,
            by=secretariat,
            title="   ",
            theme=retired,
            responsible=stranger,
            status=Status.INSUFFICIENT,
            due_phrase="uge 54",
        )

    assert set(error.value.message_dict) == {
        "title",
        "theme",
        "responsible",
        "status",
        "due_phrase",
    }


def test_create_action_refuses_over_long_title(secretariat, danid, theme):
    with pytest.raises(ValidationError) as error:
        services.create_action(danid, by=secretariat, title="x" * 201, theme=theme)

    assert "title" in error.value.message_dict


def test_create_action_done_sets_completed_on(secretariat, danid, theme):
    action = services.create_action(
        danid,
        by=secretariat,
        title="Ny speak",
        theme=theme,
        due_phrase="22. november 2010",
        status=Status.DONE,
        completed_on=datetime.date(2010, 11, 22),
    )

    assert action.completed_on == datetime.date(2010, 11, 22)


@pytest.mark.parametrize("persona", ["agent", "team_lead", "manager"])
def test_only_the_secretariat_and_administrators_may_create_actions(
    personas, persona, danid, theme
):
    with pytest.raises(PermissionDenied):
        services.create_action(danid, by=personas[persona], title="X", theme=theme)


def test_create_action_as_a_follow_up_writes_the_link_on_both_timelines(secretariat, danid, theme):
    earlier = ActionFactory(owner=danid, theme=theme)

    later = services.create_action(
        danid, by=secretariat, title="Opfølgning", theme=theme, follows_up=earlier
    )

    assert later.follows_up == earlier
    assert Kind.FOLLOW_UP in kinds(later)
    assert earlier.events.get(kind=Kind.FOLLOW_UP).new_value == "Opfølgning"


def test_update_action_changes_the_due_range_and_writes_who_when_what(secretariat, danid, theme):
    action = ActionFactory(owner=danid, theme=theme, due_phrase="2011")

    changed = services.update_action(
        action, by=secretariat, changes={"due_phrase": "primo 2011"}, today=TODAY
    )

    action.refresh_from_db()
    assert changed == ["due_phrase"]
    assert (action.due_start, action.due_end) == (
        datetime.date(2011, 1, 1),
        datetime.date(2011, 4, 30),
    )
    assert action.due_precision == P.PART_OF_YEAR
    event = action.events.get(kind=Kind.DUE)
    assert (event.actor, event.old_value, event.new_value) == (secretariat, "2011", "primo 2011")
    assert event.created_at <= timezone.now()


def test_update_action_with_the_same_values_changes_nothing(secretariat, support_action):
    changed = services.update_action(
        support_action,
        by=secretariat,
        changes={
            "title": support_action.title,
            "due_phrase": support_action.due_phrase,
            "owner": support_action.owner,
            "origin_topics": list(support_action.origin_topics.all()),
        },
    )

    assert changed == []
    assert not support_action.events.exists()


def test_update_action_to_another_owner_drops_a_responsible_person_from_the_old_one(
    secretariat, danid, theme
):
    action = ActionFactory(owner=danid, theme=theme, responsible=ContactFactory(organisation=danid))
    itst = OrganisationFactory(code="itst", name="IT- og Telestyrelsen", short_name="ITST")

    changed = services.update_action(action, by=secretariat, changes={"owner": itst})

    action.refresh_from_db()
    assert set(changed) == {"owner", "responsible"}
    assert action.responsible is None
    owner_event = action.events.get(kind=Kind.OWNER)
    assert (owner_event.old_value, owner_event.new_value) == ("DanID", "ITST")


def test_update_action_records_changed_origins(secretariat, support_action, ministry_topic):
    services.update_action(
        support_action, by=secretariat, changes={"origin_topics": [ministry_topic]}
    )

    assert list(support_action.origin_topics.all()) == [ministry_topic]
    event = support_action.events.get(kind=Kind.ORIGIN)
    assert event.old_value == "Aktivering af NemID"
    assert event.new_value == "Sikkerhed"


def test_update_action_refuses_fields_it_does_not_change(secretariat, support_action):
    with pytest.raises(ValidationError) as error:
        services.update_action(support_action, by=secretariat, changes={"status": Status.DONE})

    assert "status" in error.value.message_dict


def test_update_action_refuses_a_follow_up_cycle(secretariat, danid, theme):
    first = ActionFactory(owner=danid, theme=theme)
    second = ActionFactory(owner=danid, theme=theme, follows_up=first)

    with pytest.raises(ValidationError) as error:
        services.update_action(first, by=secretariat, changes={"follows_up": second})
    with pytest.raises(ValidationError):
        services.update_action(first, by=secretariat, changes={"follows_up": first})

    assert "follows_up" in error.value.message_dict
    first.refresh_from_db()
    assert first.follows_up is None


def test_update_action_refuses_an_unreadable_due_phrase_and_keeps_the_old_range(
    secretariat, support_action
):
    with pytest.raises(ValidationError) as error:
        services.update_action(support_action, by=secretariat, changes={"due_phrase": "snart"})

    assert "due_phrase" in error.value.message_dict
    support_action.refresh_from_db()
    assert support_action.due_phrase == "2030"
    assert not support_action.events.exists()


def test_done_sets_completed_on_and_reopening_clears_it(secretariat, support_action):
    services.change_action_status(support_action, to=Status.DONE, by=secretariat, today=TODAY)
    support_action.refresh_from_db()
    assert support_action.completed_on == TODAY

    services.change_action_status(support_action, to=Status.IN_PROGRESS, by=secretariat)
    support_action.refresh_from_db()
    assert support_action.completed_on is None
    assert [(e.old_value, e.new_value) for e in support_action.events.filter(kind=Kind.STATUS)] == [
        ("planned", "done"),
        ("done", "in_progress"),
    ]


def test_done_refuses_a_completed_date_in_the_future(secretariat, support_action):
    with pytest.raises(ValidationError) as error:
        services.change_action_status(
            support_action,
            to=Status.DONE,
            by=secretariat,
            completed_on=TODAY + datetime.timedelta(days=1),
            today=TODAY,
        )

    assert "completed_on" in error.value.message_dict


def test_change_action_status_refuses_a_transition_outside_the_workflow(
    secretariat, support_action
):
    support_action.status = Status.CANCELLED
    support_action.save()

    with pytest.raises(ValidationError) as error:
        services.change_action_status(support_action, to=Status.DONE, by=secretariat)
    with pytest.raises(ValidationError):
        services.change_action_status(support_action, to="finished", by=secretariat)

    assert "Allowed" in error.value.message_dict["status"][0]


def test_insufficient_without_a_follow_up_is_refused_and_nothing_changes(
    secretariat, support_action
):
    support_action.status = Status.DONE
    support_action.save()

    with pytest.raises(ValidationError) as error:
        services.change_action_status(support_action, to=Status.INSUFFICIENT, by=secretariat)

    assert "follow_up" in error.value.message_dict
    support_action.refresh_from_db()
    assert support_action.status == Status.DONE
    assert not support_action.events.exists()


def test_insufficient_with_a_new_follow_up_creates_it_pointing_back_with_the_origins(
    secretariat, danid, theme, support_topic
):
    fix = ActionFactory(
        title="Print af midlertidig adgangskode efter nøglekort",
        owner=danid,
        theme=theme,
        status=Status.DONE,
        completed_on=datetime.date(2010, 11, 17),
        topics=[support_topic],
    )

    services.change_action_status(
        fix,
        to=Status.INSUFFICIENT,
        by=secretariat,
        note="Har efterfølgende vist ikke at være tilstrækkeligt.",
        follow_up=NewFollowUp(
            title="Alternativ løsning færdigbeskrevet", due_phrase="medio januar 2011"
        ),
        today=TODAY,
    )

    fix.refresh_from_db()
    follow_up = fix.follow_ups.get()
    assert fix.status == Status.INSUFFICIENT
    assert fix.completed_on == datetime.date(2010, 11, 17)
    assert follow_up.follows_up == fix
    assert (follow_up.owner, follow_up.theme, follow_up.status) == (danid, theme, Status.PLANNED)
    assert follow_up.due_end == datetime.date(2011, 1, 20)
    assert list(follow_up.origin_topics.all()) == [support_topic]
    assert kinds(fix) == [Kind.STATUS, Kind.FOLLOW_UP]
    assert fix.events.get(kind=Kind.STATUS).text.startswith("Har efterfølgende")


def test_insufficient_with_a_bad_new_follow_up_names_the_follow_up_field_and_saves_nothing(
    secretariat, support_action
):
    with pytest.raises(ValidationError) as error:
        services.change_action_status(
            support_action,
            to=Status.INSUFFICIENT,
            by=secretariat,
            follow_up=NewFollowUp(title="", due_phrase="snart"),
        )

    assert set(error.value.message_dict) == {"follow_up_title", "follow_up_due_phrase"}
    support_action.refresh_from_db()
    assert support_action.status == Status.PLANNED
    assert Action.objects.count() == 1
    assert not ActionEvent.objects.exists()


def test_insufficient_linking_an_existing_action_points_it_back(
    secretariat, support_action, danid, theme
):
    existing = ActionFactory(owner=danid, theme=theme)
    support_action.status = Status.IN_PROGRESS
    support_action.save()

    services.change_action_status(
        support_action, to=Status.INSUFFICIENT, by=secretariat, follow_up=existing
    )

    existing.refresh_from_db()
    assert existing.follows_up == support_action
    assert existing.events.get(kind=Kind.FOLLOW_UP).new_value == support_action.title


def test_insufficient_refuses_a_follow_up_that_already_follows_another_or_itself(
    secretariat, support_action, danid, theme
):
    other = ActionFactory(owner=danid, theme=theme)
    taken = ActionFactory(owner=danid, theme=theme, follows_up=other)
    support_action.status = Status.IN_PROGRESS
    support_action.save()

    for candidate in (taken, support_action):
        with pytest.raises(ValidationError) as error:
            services.change_action_status(
                support_action, to=Status.INSUFFICIENT, by=secretariat, follow_up=candidate
            )
        assert "follow_up" in error.value.message_dict
    support_action.refresh_from_db()
    assert support_action.status == Status.IN_PROGRESS


def test_insufficient_refuses_an_earlier_action_of_its_own_chain(secretariat, danid, theme):
    first = ActionFactory(owner=danid, theme=theme, status=Status.INSUFFICIENT)
    second = ActionFactory(owner=danid, theme=theme, follows_up=first, status=Status.IN_PROGRESS)

    with pytest.raises(ValidationError):
        services.change_action_status(
            second, to=Status.INSUFFICIENT, by=secretariat, follow_up=first
        )


def test_add_progress_update_dates_it_and_puts_it_on_the_timeline(secretariat, support_action):
    update = services.add_progress_update(
        support_action, by=secretariat, text="  60 nye medarbejdere ansat. ", written_on=TODAY
    )

    assert (update.text, update.written_on, update.author) == (
        "60 nye medarbejdere ansat.",
        TODAY,
        secretariat,
    )
    assert support_action.events.get(kind=Kind.UPDATE).text == "60 nye medarbejdere ansat."


@pytest.mark.parametrize(
    ("text", "written_on", "field"),
    [
        ("", None, "text"),
        ("   ", None, "text"),
        ("x" * 20001, None, "text"),
        ("OK", timezone.localdate() + datetime.timedelta(days=2), "written_on"),
    ],
)
def test_add_progress_update_refuses_bad_input(
    secretariat, support_action, text, written_on, field
):
    with pytest.raises(ValidationError) as error:
        services.add_progress_update(
            support_action, by=secretariat, text=text, written_on=written_on
        )

    assert field in error.value.message_dict
    assert not ActionUpdate.objects.exists()


def test_kpi_readings_are_one_per_day_and_land_on_the_timeline(secretariat, support_action):
    kpi = services.add_kpi(
        support_action,
        by=secretariat,
        metric="Medarbejdere i supporten",
        unit="personer",
        baseline=Decimal(60),
        target=Decimal(270),
    )
    services.record_kpi_reading(
        kpi, by=secretariat, measured_on=datetime.date(2010, 11, 30), value=Decimal("270.00")
    )

    with pytest.raises(ValidationError) as error:
        services.record_kpi_reading(
            kpi, by=secretariat, measured_on=datetime.date(2010, 11, 30), value=Decimal(271)
        )

    assert "measured_on" in error.value.message_dict
    assert kpi.readings.get().value == Decimal(270)
    assert kinds(support_action) == [Kind.KPI_ADDED, Kind.KPI]
    assert support_action.events.get(kind=Kind.KPI).new_value == "270 personer"


def test_record_kpi_reading_refuses_a_future_date_and_too_large_values(secretariat):
    kpi = KpiFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as future:
        services.record_kpi_reading(kpi, by=secretariat, measured_on=tomorrow, value=Decimal(1))
    with pytest.raises(ValidationError) as huge:
        services.record_kpi_reading(kpi, by=secretariat, measured_on=TODAY, value=Decimal("1e20"))

    assert "measured_on" in future.value.message_dict
    assert "value" in huge.value.message_dict
    assert not KpiReading.objects.exists()


def test_add_kpi_refuses_an_empty_metric(secretariat, support_action):
    with pytest.raises(ValidationError) as error:
        services.add_kpi(support_action, by=secretariat, metric=" ", baseline=Decimal(1))

    assert "metric" in error.value.message_dict
    assert not Kpi.objects.exists()


@pytest.mark.parametrize("persona", ["agent", "team_lead", "manager"])
def test_readers_may_not_change_actions(personas, persona, support_action):
    by = personas[persona]
    kpi = KpiFactory(action=support_action)

    with pytest.raises(PermissionDenied):
        services.update_action(support_action, by=by, changes={"title": "X"})
    with pytest.raises(PermissionDenied):
        services.change_action_status(support_action, to=Status.DONE, by=by)
    with pytest.raises(PermissionDenied):
        services.add_progress_update(support_action, by=by, text="X")
    with pytest.raises(PermissionDenied):
        services.add_kpi(support_action, by=by, metric="X", baseline=Decimal(1))
    with pytest.raises(PermissionDenied):
        services.record_kpi_reading(kpi, by=by, measured_on=TODAY, value=Decimal(1))


def test_support_staff_see_actions_on_their_queues_topics_by_any_origin(
    personas, support_action, ministry_action, support_topic, danid, theme
):
    by_category = ActionFactory(owner=danid, theme=theme)
    by_category.origin_categories.set([Category.objects.filter(topic=support_topic).first()])
    by_recommendation = ActionFactory(owner=danid, theme=theme)
    by_recommendation.origin_recommendations.set([RecommendationFactory(topics=[support_topic])])
    nobody = UserFactory(username="nobody")

    for persona in ("agent", "team_lead"):
        seen = set(Action.objects.visible_to(personas[persona]))
        assert seen == {support_action, by_category, by_recommendation}
    for persona in ("secretariat", "manager", "admin"):
        assert Action.objects.visible_to(personas[persona]).count() == 4
    assert not Action.objects.visible_to(nobody).exists()
