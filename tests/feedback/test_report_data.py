"""The report's two surveys, loaded idempotently by load_report_data."""

from decimal import Decimal

from django.core.management import call_command

from feedback.models import SurveyResult
from seed.report.stakeholders import load_stakeholder_data
from seed.report.surveys import load_survey_results


def test_the_reports_two_surveys_are_loaded_with_their_organisations(db):
    load_stakeholder_data()

    assert load_survey_results() == {"survey_results": 2}

    ab, m3 = SurveyResult.objects.select_related("conducted_by", "commissioned_by")
    assert (ab.source, ab.respondents, ab.base, ab.share_satisfied) == (
        "A&B Analyse for avisen ”kommunen”",
        1426,
        None,
        Decimal("77.0"),
    )
    assert (ab.conducted_by.code, ab.commissioned_by.code) == ("ab-analyse", "kommunen")
    assert (m3.respondents, m3.base, m3.share_satisfied) == (1500, 713, Decimal("81.0"))
    assert (m3.conducted_by.code, m3.commissioned_by.code) == ("m3", "danid")
    assert ab.is_date_estimated and m3.is_date_estimated
    assert "et skøn" in ab.notes and "MEC" in m3.notes


def test_loading_again_creates_nothing_and_keeps_corrections(db):
    load_survey_results()
    SurveyResult.objects.filter(code="m3-mec-danid-2010").update(notes="Rettet af sekretariatet")

    assert load_survey_results() == {"survey_results": 0}
    assert SurveyResult.objects.count() == 2
    assert SurveyResult.objects.get(code="m3-mec-danid-2010").notes == "Rettet af sekretariatet"


def test_without_the_organisations_the_surveys_load_unattributed(db):
    load_survey_results()

    assert not SurveyResult.objects.filter(conducted_by__isnull=False).exists()


def test_load_report_data_loads_the_surveys_too(db, capsys):
    call_command("load_report_data")
    call_command("load_report_data")

    assert SurveyResult.objects.filter(conducted_by__code="m3").count() == 1
    assert "0 survey results" in capsys.readouterr().out
