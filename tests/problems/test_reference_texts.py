"""The product works out of the box: load_reference_data writes version 1 of
the standard texts it uses, and resolving without one is a clear error."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from enquiries.models import Enquiry, Notification
from notices.models import StandardText
from notices.services import add_standard_text_version, ensure_standard_text
from problems import services
from seed.standard_texts import STANDARD_TEXTS
from tests.factories import CitizenFactory, EnquiryFactory


@pytest.fixture
def linked(problem, category, personas):
    enquiry = EnquiryFactory(category=category, citizen=CitizenFactory(email="a@example.invalid"))
    services.link_enquiries(problem, Enquiry.objects.filter(pk=enquiry.pk), by=None)
    return enquiry


def test_the_reference_data_writes_version_1_of_the_texts_the_product_uses(db):
    call_command("load_reference_data", verbosity=0)

    codes = {code for code, *_rest in STANDARD_TEXTS}
    assert services.RESOLVED_TEXT_CODE in codes
    assert set(StandardText.objects.values_list("code", "version")) == {(c, 1) for c in codes}


def test_loading_the_reference_data_twice_adds_nothing_and_keeps_written_texts(db):
    written = add_standard_text_version(
        services.RESOLVED_TEXT_CODE, text_da="Vores egen", text_en="Our own"
    )

    call_command("load_reference_data", verbosity=0)
    call_command("load_reference_data", verbosity=0)

    assert StandardText.objects.filter(code=services.RESOLVED_TEXT_CODE).get() == written
    assert StandardText.objects.count() == len(STANDARD_TEXTS)


def test_ensure_standard_text_is_get_or_create(db):
    first, created = ensure_standard_text("x-code", kind="other", text_da="a", text_en="b")
    again, created_again = ensure_standard_text("x-code", kind="other", text_da="c", text_en="d")

    assert (created, created_again) == (True, False)
    assert again == first and again.version == 1


def test_after_the_reference_data_resolving_all_works_out_of_the_box(problem, linked, personas):
    call_command("load_reference_data", verbosity=0)

    record = services.resolve_known_problem(problem, by=personas["team_lead"], resolution="Rettet")

    linked.refresh_from_db()
    assert linked.status == Enquiry.Status.RESOLVED
    assert record.notified_count == 1
    body = Notification.objects.get(recipient="a@example.invalid").body
    assert f"“{problem.title}”" in body and "{title}" not in body


def test_resolving_from_the_page_without_the_text_says_so_in_danish(client_as, problem, linked):
    response = client_as("team_lead", language="da").post(
        reverse("problems:resolve", kwargs={"pk": problem.pk}), {"resolution": "Rettet"}
    )

    assert response.status_code == 200
    assert "Skriv standardteksten “known-problem-resolved”, før du løser." in (
        response.content.decode()
    )
    linked.refresh_from_db()
    assert linked.status == Enquiry.Status.NEW


def test_resolving_through_the_api_without_the_text_is_a_400(client_as, problem, linked):
    response = client_as("team_lead", language="da").post(
        f"/api/v1/known-problems/{problem.pk}/resolve/",
        json.dumps({"resolution": "Rettet"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "standard_text": ["Skriv standardteksten “known-problem-resolved”, før du løser."]
    }
    linked.refresh_from_db()
    assert linked.status == Enquiry.Status.NEW
