import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from actions import services
from actions.due import parse_due
from actions.models import Action, ActionEvent, Kpi, Theme
from seed.report.actions import ACTIONS, REPORT_DAY, load_action_data
from seed.report.stakeholders import load_stakeholder_data
from stakeholders.models import FollowUp, Meeting, Organisation, Recommendation

Status = Action.Status
D = datetime.date

# The stable codes of seed/data/report_stakeholders.json that actions may
# point at.
ORGANISATION_CODES = {
    "videnskabsministeriet", "itst", "danid", "finansraadet", "bankerne",
    "aeldremobiliseringen", "aeldre-sagen", "dansk-it", "dh", "forbrugerraadet", "kl",
    "borger-dk", "virk-dk", "nemlog-in", "bibliotekerne", "printleverandoeren", "kommunen",
    "ab-analyse", "m3", "mec",
}  # fmt: skip
MEETING_CODES = {
    "taskforce-2010-10-29", "aeldremobiliseringen-2010-11-09", "dansk-it-2010-11-19",
    "aeldre-sagen-2010-11-25", "forbrugerraadet", "dh-arbejdsgruppe-2010-11-30",
}  # fmt: skip
RECOMMENDATION_CODES = {
    "aeldre-sagen-sprog", "aeldre-sagen-stoette", "aeldre-sagen-stort-noeglekort",
    "aeldre-sagen-nedbrud", "dansk-it-transparens", "dansk-it-digitalt-noeglekort",
    "dansk-it-smartphone", "aeldremobiliseringen-aktivering",
    "aeldremobiliseringen-tilgaengelighed", "forbrugerraadet-kommunikation",
    "forbrugerraadet-fejltekster", "dh-tilgaengelighed",
}  # fmt: skip


@pytest.fixture
def report(taxonomy):
    """The report's world: stakeholders, then actions."""
    load_stakeholder_data()
    load_action_data()
    return {action.code: action for action in Action.objects.select_related("owner", "theme")}


def test_the_reference_data_points_only_at_codes_of_the_report():
    for data in ACTIONS:
        assert data["owner"] in ORGANISATION_CODES, data["code"]
        assert set(data.get("meetings", [])) <= MEETING_CODES, data["code"]
        assert set(data.get("recommendations", [])) <= RECOMMENDATION_CODES, data["code"]
    codes = [data["code"] for data in ACTIONS]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("data", ACTIONS, ids=[data["code"] for data in ACTIONS])
def test_every_due_phrase_of_the_reference_data_parses(data):
    due = parse_due(data["due"], today=REPORT_DAY)

    assert (due.start is None) == (data["due"] in ("", "snarest muligt"))


def test_load_action_data_creates_the_themes_and_every_action_with_its_stored_range(report):
    assert set(Theme.objects.values_list("code", flat=True)) == {
        "support",
        "communication",
        "technical",
        "accessibility",
        "log-out",
        "outage-information",
    }
    assert len(report) == len(ACTIONS) == 45
    for data in ACTIONS:
        action = report[data["code"]]
        due = parse_due(data["due"], today=REPORT_DAY)
        assert (action.due_start, action.due_end, action.due_precision) == (
            due.start,
            due.end,
            due.precision,
        )
        assert action.owner.code == data["owner"]
        assert action.theme.code == data["theme"]
        assert action.events.filter(kind=ActionEvent.Kind.CREATED).count() == 1


def test_support_staff_and_phone_lines_carry_their_kpi_readings(report):
    staff = Kpi.objects.get(action=report["support-medarbejdere"])
    lines = Kpi.objects.get(action=report["support-telefonlinjer"])

    assert (staff.baseline, staff.target) == (60, 270)
    assert list(staff.readings.values_list("measured_on", "value")) == [
        (D(2010, 7, 1), Decimal(60)),
        (D(2010, 11, 1), Decimal(270)),
    ]
    assert [r.value for r in lines.readings.all()] == [60, 120]
    assert report["support-ny-speak"].completed_on == D(2010, 11, 22)


def test_the_print_order_fix_is_insufficient_and_chained_to_its_follow_up(report):
    fix = report["teknik-printraekkefoelge"]
    alternative = report["teknik-alternativ-loesning-breve"]

    assert fix.status == Status.INSUFFICIENT
    assert fix.completed_on == D(2010, 11, 17)
    assert alternative.follows_up == fix
    assert alternative.due_phrase == "medio januar 2011"
    assert alternative.due_end == D(2011, 1, 20)
    assert list(fix.events.values_list("kind", flat=True)) == ["created", "follow_up", "status"]


def test_the_reports_fuzzy_dates_are_stored_as_ranges(report):
    assert report["teknik-tre-aktiveringsforsoeg"].is_due_asap
    assert report["teknik-smartphones"].is_due_asap
    final = report["teknik-kun-netbank-endelig"]
    assert (final.due_start, final.due_end) == (D(2011, 1, 1), D(2011, 4, 30))
    assert final.follows_up == report["teknik-kun-netbank-manuel"]
    assert report["teknik-kun-netbank-manuel"].kpis.get().readings.get().value == 415
    assert report["kommunikation-driftstatus"].due_end == D(2010, 12, 20)
    assert report["kommunikation-pjece-aeldre"].due_end == D(2011, 5, 31)
    assert report["kommunikation-krisekommunikation"].due_end == D(2010, 11, 10)
    assert report["teknik-noeglegenerator"].due_end == D(2011, 12, 31)
    assert report["teknik-danid-hos-printleverandoer"].due_end == D(2010, 10, 7)
    assert report["kommunikation-velkomstbreve"].completed_on == D(2010, 12, 6)
    assert report["kommunikation-faktaark-finansraadet"].owner.code == "finansraadet"


def test_the_log_out_measures_include_week_47_borger_dk_and_finansraadet(report):
    log_out = [a for a in report.values() if a.theme.code == "log-out"]
    week_47 = report["logud-anbefaling-myndigheder"]

    assert len(log_out) >= 10
    assert (week_47.due_start, week_47.due_end) == (D(2010, 11, 22), D(2010, 11, 28))
    assert report["logud-borger-dk-justering"].completed_on == D(2010, 12, 18)
    assert report["logud-borger-dk-justering"].follows_up == week_47
    assert report["logud-anbefaling-finansraadet"].follows_up == week_47


def test_actions_from_recommendations_and_meetings_link_them(report):
    phone_menu = report["support-ny-speak"]
    generator = report["teknik-noeglegenerator"]

    assert [r.code for r in phone_menu.origin_recommendations.all()] == [
        "aeldremobiliseringen-tilgaengelighed"
    ]
    assert [m.code for m in phone_menu.origin_meetings.all()] == ["aeldremobiliseringen-2010-11-09"]
    assert [r.code for r in generator.origin_recommendations.all()] == [
        "dansk-it-digitalt-noeglekort"
    ]


def test_support_staff_see_the_report_actions_on_their_topics(report, personas):
    seen = set(Action.objects.visible_to(personas["agent"]).values_list("code", flat=True))

    assert "support-medarbejdere" in seen
    assert "teknik-printraekkefoelge" in seen
    assert "kommunikation-faktaark-finansraadet" not in seen


def test_loading_again_creates_nothing_and_keeps_the_secretariats_changes(report, personas):
    pamphlet = report["kommunikation-pjece-aeldre"]
    services.change_action_status(pamphlet, to=Status.DONE, by=personas["secretariat"])
    events = ActionEvent.objects.count()

    created = load_action_data()

    assert created == {"themes": 0, "actions": 0}
    assert Action.objects.count() == len(ACTIONS)
    assert ActionEvent.objects.count() == events
    pamphlet.refresh_from_db()
    assert pamphlet.status == Status.DONE


def _row_counts() -> dict[str, int]:
    models = (Organisation, Meeting, Recommendation, FollowUp, Theme, Action, Kpi, ActionEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_load_report_data_loads_stakeholders_then_actions_and_is_idempotent(taxonomy, capsys):
    call_command("load_report_data")
    first = capsys.readouterr().out
    rows = _row_counts()
    call_command("load_report_data")
    second = capsys.readouterr().out

    assert _row_counts() == rows

    assert "45 actions" in first
    assert "0 actions" in second
    assert "0 recommendations" in second
    assert Action.objects.count() == 45
    fix = Action.objects.get(code="teknik-printraekkefoelge")
    assert fix.status == Status.INSUFFICIENT
    assert Recommendation.objects.get(code="dansk-it-smartphone").actions.get().code == (
        "teknik-smartphones"
    )
