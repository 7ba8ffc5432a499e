"""Dates on pages are written the page language's way, never as ISO."""

import datetime

import pytest
from django import forms
from django.utils import timezone, translation

from enquiries import services
from enquiries.models import EnquiryEvent
from enquiries.templatetags.local_formats import local_dates
from stakeholders.models import Meeting
from tests.ui.walk import visible_text


@pytest.mark.parametrize(
    ("text", "danish"),
    [
        ("Frist 2010-11-09 14:05 overskredet", "Frist 09.11.2010 14:05 overskredet"),
        ("2010-11-09: borgeren ringede", "09.11.2010: borgeren ringede"),
        ("første svar 2026-11-27 12:04, løsning -", "første svar 27.11.2026 12:04, løsning -"),
        ("Uge 2010-W46 og 2010-13-45", "Uge 2010-W46 og 2010-13-45"),
        ("NID-2010-000041", "NID-2010-000041"),
        ("", ""),
    ],
)
def test_local_dates_rewrites_iso_dates_in_text(text, danish):
    with translation.override("da"):
        assert local_dates(text) == danish


def test_local_dates_follows_the_language():
    with translation.override("en"):
        assert local_dates("2010-11-09") == "11/09/2010"


def test_moved_deadlines_read_the_danish_way_on_the_timeline(
    client_as, taxonomy, personas, settings
):
    from seed.reference import load_sla_policies

    load_sla_policies()
    enquiry = services.register_enquiry(
        taxonomy["support"],
        by=personas["agent"],
        subject="Hej",
        received_at=timezone.now() - datetime.timedelta(hours=1),
    )
    services.update_enquiry(enquiry, by=personas["agent"], changes={"priority": 4})
    settings.LANGUAGE_CODE = "da"

    html = client_as("agent").get(f"/enquiries/{enquiry.reference}/").content.decode()

    event = enquiry.events.get(kind=EnquiryEvent.Kind.DEADLINE)
    due = timezone.localtime(enquiry.resolution_due_at)
    # Stored as written (ISO, whatever the writer's language); read in Danish.
    assert due.strftime("%Y-%m-%d %H:%M") in event.new_label
    timeline = visible_text(html.split('id="timeline-heading"')[1])
    assert due.strftime("%d.%m.%Y %H:%M") in timeline
    assert due.strftime("%Y-%m-%d") not in timeline


def test_a_meeting_is_named_with_its_date_the_languages_way():
    meeting = Meeting(title="Møde med Ældre Sagen", held_on=datetime.date(2010, 11, 25))

    with translation.override("da"):
        assert str(meeting) == "Møde med Ældre Sagen (25.11.2010)"


class ChoiceForm(forms.Form):
    needed = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    optional = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)


def test_an_empty_choice_says_choose_or_none_never_dashes():
    with translation.override("da"):
        html = str(ChoiceForm())

    assert "---------" not in html
    assert '<option value="" selected>Vælg …</option>' in html
    assert '<option value="" selected>Ingen</option>' in html
